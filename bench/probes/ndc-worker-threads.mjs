// Probe (docs/media-plane.md § Media workers, "Why processes"): is node-datachannel usable from
// worker_threads? Each thread loads the addon, connects a PeerConnection pair and exchanges a
// data-channel message; then the thread is terminated with its connections open.
//
//   node bench/probes/ndc-worker-threads.mjs      two threads at once (default)
//   node bench/probes/ndc-worker-threads.mjs 1    one thread
//
// Observed with node-datachannel 0.33.4 on Node 20.20: with two threads the process aborts
// ("FATAL ERROR: HandleScope::HandleScope Entering the V8 API without proper locking in place",
// exit 134); with one thread the message goes through, but terminating the thread aborts the
// process the same way. Hence media workers are processes.
import { createRequire } from 'node:module';
import { Worker, isMainThread, parentPort, threadId } from 'node:worker_threads';

const require = createRequire(new URL('../../packages/server/package.json', import.meta.url));

if (isMainThread) {
  const threads = Number(process.argv[2] ?? 2);
  const run = () =>
    new Promise((resolve) => {
      const w = new Worker(new URL(import.meta.url));
      w.on('message', (m) => {
        console.log('thread says:', m);
        if (m.startsWith('ok')) w.terminate().then((code) => resolve(`terminated with open connections (exit code ${code})`));
      });
      w.on('error', (e) => resolve(`thread error: ${e.message}`));
    });
  console.log(await Promise.all(Array.from({ length: threads }, run)));
  console.log('main thread alive after the terminations: worker_threads would be usable');
} else {
  const ndc = require('node-datachannel');
  const a = new ndc.PeerConnection('a', { iceServers: [] });
  const b = new ndc.PeerConnection('b', { iceServers: [] });
  a.onLocalDescription((sdp, type) => b.setRemoteDescription(sdp, type));
  a.onLocalCandidate((c, mid) => b.addRemoteCandidate(c, mid));
  b.onLocalDescription((sdp, type) => a.setRemoteDescription(sdp, type));
  b.onLocalCandidate((c, mid) => a.addRemoteCandidate(c, mid));
  b.onDataChannel((dc) => dc.onMessage((msg) => parentPort.postMessage(`ok: thread ${threadId} received ${msg}`)));
  const dc = a.createDataChannel('probe');
  dc.onOpen(() => dc.sendMessage('hello'));
}
