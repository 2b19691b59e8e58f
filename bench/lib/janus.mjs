// Janus 1.1.2 (Debian package) as the sfu-fanout benchmark's reference SFU: a private
// configuration (videoroom + websockets only, on 127.0.0.1), the server as a child process, and
// the in-page publisher speaking the videoroom API. Subscribers are in sfu-loadclient.mjs.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, spawnCommand, tail } from './children.mjs';

const JANUS_PLUGINS = '/usr/lib/x86_64-linux-gnu/janus';

/** In-page: a Janus videoroom publisher over the janus-protocol WebSocket. Resolves the feed id. */
export const PAGE_JANUS_PUBLISH = async ({ url, room, simulcast }) => {
  const ws = new WebSocket(url, 'janus-protocol');
  await new Promise((res, rej) => {
    ws.onopen = res;
    ws.onerror = () => rej(new Error('janus websocket failed'));
  });
  let tx = 0;
  const pending = new Map();
  let sessionId;
  let handleId;
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    const p = m.transaction && pending.get(m.transaction);
    if (!p) return;
    if (m.janus === 'error') {
      pending.delete(m.transaction);
      p.reject(new Error('janus error ' + JSON.stringify(m.error)));
    } else if (m.janus === p.waitFor) {
      pending.delete(m.transaction);
      p.resolve(m);
    }
  };
  const send = (msg, waitFor = 'success') =>
    new Promise((resolve, reject) => {
      const transaction = 't' + ++tx;
      pending.set(transaction, { resolve, reject, waitFor });
      ws.send(JSON.stringify(Object.assign({}, msg, { transaction }, sessionId ? { session_id: sessionId } : {}, handleId ? { handle_id: handleId } : {})));
    });
  sessionId = (await send({ janus: 'create' })).data.id;
  handleId = (await send({ janus: 'attach', plugin: 'janus.plugin.videoroom' })).data.id;
  const joined = await send({ janus: 'message', body: { request: 'join', ptype: 'publisher', room, display: 'bench' } }, 'event');
  const data = joined.plugindata && joined.plugindata.data;
  if (!data || data.videoroom !== 'joined') throw new Error('janus join publisher: ' + JSON.stringify(joined));
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480, frameRate: 30 } });
  const pc = new RTCPeerConnection();
  for (const t of stream.getTracks()) {
    // Simulcast (network bench): three rid layers, highest first, Parley's default rates and scales.
    if (simulcast && t.kind === 'video')
      pc.addTransceiver(t, {
        streams: [stream],
        sendEncodings: [
          { rid: 'h', maxBitrate: 900000 },
          { rid: 'm', maxBitrate: 300000, scaleResolutionDownBy: 2 },
          { rid: 'l', maxBitrate: 100000, scaleResolutionDownBy: 4 },
        ],
      });
    else pc.addTrack(t, stream);
  }
  pc.onicecandidate = (e) =>
    ws.send(
      JSON.stringify({
        janus: 'trickle',
        transaction: 'c' + ++tx,
        session_id: sessionId,
        handle_id: handleId,
        candidate: e.candidate ? e.candidate.toJSON() : { completed: true },
      }),
    );
  await pc.setLocalDescription();
  const conf = await send(
    { janus: 'message', body: { request: 'configure', audio: true, video: true }, jsep: { type: 'offer', sdp: pc.localDescription.sdp } },
    'event',
  );
  if (!conf.jsep) throw new Error('janus configure: no answer ' + JSON.stringify(conf));
  await pc.setRemoteDescription(conf.jsep);
  setInterval(() => ws.send(JSON.stringify({ janus: 'keepalive', session_id: sessionId, transaction: 'k' + ++tx })), 20000);
  window.JPUB = { ws, pc, stream };
  return data.id;
};

function janusConfig(dir, { wsPort, tuned, wsIp = '127.0.0.1', rtpPortRange, iceEnforce }) {
  mkdirSync(join(dir, 'plugins'));
  mkdirSync(join(dir, 'transports'));
  // Only the plugin and transport used (Janus loads every .so of its folders).
  symlinkSync(join(JANUS_PLUGINS, 'plugins/libjanus_videoroom.so'), join(dir, 'plugins/libjanus_videoroom.so'));
  symlinkSync(join(JANUS_PLUGINS, 'transports/libjanus_websockets.so'), join(dir, 'transports/libjanus_websockets.so'));
  writeFileSync(
    join(dir, 'janus.jcfg'),
    `general: {
  configs_folder = "${dir}"
  plugins_folder = "${dir}/plugins"
  transports_folder = "${dir}/transports"
  events_folder = "${dir}/none"
  loggers_folder = "${dir}/none"
  debug_level = 3
${tuned ? '  event_loops = 2\n' : ''}}
certificates: {}
media: {${rtpPortRange ? `\n  rtp_port_range = "${rtpPortRange}"\n` : ''}}
nat: {
  ice_ignore_list = "vmnet"${iceEnforce ? `\n  ice_enforce_list = "${iceEnforce}"` : ''}
}
plugins: {}
transports: {}
events: {}
loggers: {}
`,
  );
  // The sample room of the Debian package, with a bitrate cap that does not limit the ≈1.7 Mbps source.
  writeFileSync(
    join(dir, 'janus.plugin.videoroom.jcfg'),
    `general: {}
room-1234: {
  description = "bench"
  publishers = 1
  bitrate = 4000000
  fir_freq = 10
  audiocodec = "opus"
  videocodec = "vp8"
}
`,
  );
  writeFileSync(
    join(dir, 'janus.transport.websockets.jcfg'),
    `general: {
  json = "compact"
  ws = true
  ws_port = ${wsPort}
  ws_ip = "${wsIp}"
  wss = false
}
admin: {
  admin_ws = false
  admin_wss = false
}
`,
  );
}

/**
 * `wsIp` (default 127.0.0.1), `rtpPortRange` ("min-max") and `iceEnforce` (interface names whose
 * addresses alone become candidates) let the network bench reach Janus from a namespace through relays.
 */
export async function startJanus({ tmp, tuned, wsIp, rtpPortRange, iceEnforce }) {
  const dir = mkdtempSync(join(tmp, `janus-${tuned ? 'tuned' : 'default'}-`));
  const wsPort = await freePort();
  janusConfig(dir, { wsPort, tuned, wsIp, rtpPortRange, iceEnforce });
  const child = spawnCommand('janus', ['-F', dir, '-C', join(dir, 'janus.jcfg'), '-o'], {
    cwd: dir,
    logFile: join(tmp, `janus-${tuned ? 'tuned' : 'default'}.log`),
  });
  const url = `ws://127.0.0.1:${wsPort}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`janus exited (${child.exitCode}):\n${tail(child)}`);
    const ok = await new Promise((resolve) => {
      import('ws').then(({ default: WebSocket }) => {
        const ws = new WebSocket(url, 'janus-protocol');
        ws.once('open', () => {
          ws.close();
          resolve(true);
        });
        ws.once('error', () => resolve(false));
      });
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`janus websocket ${url} did not open within 15 s:\n${tail(child)}`);
    await sleep(200);
  }
  return { child, pid: child.pid, url };
}
