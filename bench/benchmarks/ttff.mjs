// ttff: time to first frame in real Chromium through the SDK against the built Parley server.
//
// One publisher page (640×480 30 fps noisy y4m fake camera + fake mic, VP8/Opus) joins room
// `ttff` and publishes. One subscriber page, for each of `trials` trials: joins the room
// (`conv.join()`, t0), waits for the publisher's stream to be announced, calls
// `subscribeToStream(id)` (t1), plays the remote stream in a <video> element when `streamAdded`
// fires, and takes the first `requestVideoFrameCallback` (t2) — the first decoded frame
// presented. Then it leaves and destroys the conversation, so every trial starts with no peer
// connection. All times are performance.now() in the subscriber page.
//
// Rows: subscribe → first decoded frame (t2 − t1) and join() → first remote frame (t2 − t0),
// p50 / p95 / min / max over the trials. Reference in the same run: the same page measuring a
// local loopback RTCPeerConnection pair carrying the same camera (create PCs → first frame), i.e.
// the floor of Chromium's own connect + decode on this machine at this moment.
/* global B, REF_STREAM:writable -- Page globals: the SDK bundle and the harness scripts loaded before these functions run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stop } from '../lib/children.mjs';
import { chromiumVersion, ensureY4m, launchChromium, openSdkPage, PAGE_OUTBOUND, PAGE_PUBLISH, PAGE_REGISTER, startParley } from '../lib/media-bench.mjs';
import { loadAverage } from '../lib/machine.mjs';
import { fmt, fmtRatio } from '../lib/results.mjs';
import { percentile, ratio } from '../lib/stats.mjs';

export const meta = {
  name: 'ttff',
  title: 'Time to first frame: subscribe → first decoded frame, join() → first remote frame (Chromium, SDK, SFU)',
  timeoutMs: 5 * 60_000,
  needsBrowser: true,
};

const TARGET_P50 = 250;
const TARGET_P95 = 400;

/** In-page, subscriber: one trial. Resolves {join, subscribe, joinMs, subscribeToFrameMs, joinToFrameMs}. */
const PAGE_TRIAL = async ({ room, timeoutMs }) => {
  const conv = B.session.getOrCreateConversation(room, {});
  let t1 = 0;
  let tAdded = 0;
  let subscribed = false;
  const frame = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no remote frame within ' + timeoutMs + ' ms')), timeoutMs);
    const trySubscribe = (id) => {
      if (subscribed) return;
      subscribed = true;
      t1 = performance.now();
      conv.subscribeToStream(id).catch((e) => reject(new Error('subscribeToStream: ' + (e && e.message))));
    };
    conv.on('streamListChanged', (i) => {
      if (i.listEventType === 'added' && i.isRemote) trySubscribe(i.streamId);
    });
    conv.on('streamAdded', (s) => {
      tAdded = performance.now();
      const v = document.createElement('video');
      v.muted = true;
      v.autoplay = true;
      v.playsInline = true;
      document.getElementById('media').appendChild(v);
      v.requestVideoFrameCallback(() => {
        clearTimeout(timer);
        resolve(performance.now());
      });
      s.attachToElement(v);
      v.play().catch(() => {});
    });
  });
  const t0 = performance.now();
  await conv.join();
  const tJoined = performance.now();
  // Streams already announced before join() resolved (the snapshot) are in the list.
  for (const i of conv.getAvailableStreamList())
    if (i.isRemote && !subscribed) {
      subscribed = true;
      t1 = performance.now();
      conv.subscribeToStream(i.streamId);
    }
  const t2 = await frame;
  await conv.leave();
  conv.destroy();
  document.getElementById('media').innerHTML = '';
  return { joinMs: tJoined - t0, subscribeToFrameMs: t2 - t1, joinToFrameMs: t2 - t0, subscribeToAddedMs: tAdded - t1, addedToFrameMs: t2 - tAdded };
};

/** In-page, reference: loopback RTCPeerConnection pair with the camera → first frame. */
const PAGE_REFERENCE = async ({ timeoutMs }) => {
  if (!window.REF_STREAM) REF_STREAM = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480, frameRate: 30 } });
  const t0 = performance.now();
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  for (const t of REF_STREAM.getTracks()) a.addTrack(t, REF_STREAM);
  const frame = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('reference: no frame within ' + timeoutMs + ' ms')), timeoutMs);
    b.ontrack = (e) => {
      if (e.track.kind !== 'video') return;
      const v = document.createElement('video');
      v.muted = true;
      v.autoplay = true;
      document.getElementById('media').appendChild(v);
      v.requestVideoFrameCallback(() => {
        clearTimeout(timer);
        resolve(performance.now());
      });
      v.srcObject = e.streams[0];
      v.play().catch(() => {});
    };
  });
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription);
  const t2 = await frame;
  a.close();
  b.close();
  document.getElementById('media').innerHTML = '';
  return t2 - t0;
};

export async function run(ctx) {
  const quick = ctx.flags.has('--quick');
  const trials = quick ? 5 : 20;
  const tmp = mkdtempSync(join(tmpdir(), 'parley-bench-ttff-'));
  const notes = [];
  const load = [loadAverage()];
  let server;
  let browser;
  try {
    const y4m = ensureY4m();
    server = await startParley({ tmp, tag: 'ttff' });
    ctx.log(`Parley ${server.version} on ${server.origin}; Chromium ${chromiumVersion()}`);
    browser = await launchChromium({ y4m });
    const pub = await openSdkPage(browser, server.origin);
    const sub = await openSdkPage(browser, server.origin);
    await pub.page.evaluate(PAGE_REGISTER);
    await sub.page.evaluate(PAGE_REGISTER);
    await pub.page.evaluate(PAGE_PUBLISH, 'ttff');
    // Let the publisher's encoder ramp up before the first trial.
    await new Promise((r) => setTimeout(r, 3000));
    const o1 = await pub.page.evaluate(PAGE_OUTBOUND);
    await new Promise((r) => setTimeout(r, 2000));
    const o2 = await pub.page.evaluate(PAGE_OUTBOUND);
    const pubMbps = ((o2.bytes - o1.bytes) * 8) / ((o2.at - o1.at) * 1000);
    notes.push(`publisher: ${o2.width}×${o2.height}, video ≈ ${fmt(pubMbps, 2)} Mbps sent (fake camera from a noisy testsrc2 y4m).`);

    const sfu = [];
    const joinFrame = [];
    const joinAnswer = [];
    const toAdded = [];
    const addedToFrame = [];
    const ref = [];
    const failures = [];
    // One warm-up trial of each (first use of the codecs in the page), not counted.
    await sub.page.evaluate(PAGE_TRIAL, { room: 'ttff', timeoutMs: 15000 }).catch((e) => failures.push(`warm-up: ${e.message}`));
    await sub.page.evaluate(PAGE_REFERENCE, { timeoutMs: 15000 }).catch((e) => failures.push(`warm-up reference: ${e.message}`));
    for (let i = 0; i < trials; i++) {
      // Interleaved, so both see the same machine load.
      try {
        const r = await sub.page.evaluate(PAGE_TRIAL, { room: 'ttff', timeoutMs: 15000 });
        sfu.push(r.subscribeToFrameMs);
        if (process.env.BENCH_TTFF_TRACE) ctx.log(`  trial ${i + 1}: ${JSON.stringify(r)}`);
        joinFrame.push(r.joinToFrameMs);
        joinAnswer.push(r.joinMs);
        toAdded.push(r.subscribeToAddedMs);
        addedToFrame.push(r.addedToFrameMs);
      } catch (e) {
        failures.push(`trial ${i + 1}: ${e.message}`);
      }
      try {
        ref.push(await sub.page.evaluate(PAGE_REFERENCE, { timeoutMs: 15000 }));
      } catch (e) {
        failures.push(`reference ${i + 1}: ${e.message}`);
      }
      await new Promise((r) => setTimeout(r, Number(process.env.BENCH_TTFF_GAP_MS ?? 300)));
    }
    if (failures.length) notes.push(`failed trials (${failures.length}): ${failures.slice(0, 5).join('; ')}`);
    if (sfu.length < trials / 2) throw new Error(`only ${sfu.length}/${trials} trials produced a frame: ${failures.slice(0, 3).join('; ')}`);
    if (pub.errors.length || sub.errors.length) notes.push(`page errors: ${[...pub.errors, ...sub.errors].slice(0, 5).join(' | ')}`);
    load.push(loadAverage());
    notes.push(
      `${trials} trials each (+1 warm-up not counted), subscriber page leaves and destroys the conversation between trials so each starts without peer connections; ` +
        `times are performance.now() in the subscriber page; first frame = first requestVideoFrameCallback of a <video> playing the remote stream. ` +
        `Reference: a loopback RTCPeerConnection pair in the same page carrying the same camera (create → first frame), interleaved with the trials. Load average: ${load.join(' → ')}.`,
    );
    const p = (a, q) => percentile(a, q);
    const row = (name, a, target) => [name, fmt(p(a, 50)), fmt(p(a, 95)), fmt(Math.min(...a)), fmt(Math.max(...a)), String(a.length), target];
    const met = (v, t) => (v <= t ? 'met' : 'MISSED');
    const rows = [
      row(
        'subscribe → first decoded frame (ms)',
        sfu,
        `p50 ≤ ${TARGET_P50} ${met(p(sfu, 50), TARGET_P50)}, p95 ≤ ${TARGET_P95} ${met(p(sfu, 95), TARGET_P95)}`,
      ),
      row('join() → first remote frame (ms)', joinFrame, '—'),
      row('  of which subscribe → streamAdded (ms)', toAdded, '—'),
      row('  of which streamAdded → first frame (ms)', addedToFrame, '—'),
      row('join() → join resolved (ms)', joinAnswer, '—'),
      row('reference: local PC pair → first frame (ms)', ref, '—'),
    ];
    const cmp = [
      ['subscribe → first frame p50 ÷ reference p50', fmtRatio(ratio(p(sfu, 50), p(ref, 50)))],
      ['subscribe → first frame p95 ÷ reference p95', fmtRatio(ratio(p(sfu, 95), p(ref, 95)))],
    ];
    return {
      headline: `${fmt(p(sfu, 50))} ms`,
      headlineExtra: `p95 ${fmt(p(sfu, 95))} ms`,
      tables: [
        { title: 'Time to first frame (Chromium, Parley SDK → SFU)', columns: ['metric', 'p50', 'p95', 'min', 'max', 'n', 'target'], rows },
        { title: 'Against the reference measured in the same run', columns: ['ratio', 'value'], rows: cmp },
      ],
      notes,
      versions: { 'Parley server': server.version, Chromium: chromiumVersion() },
      record: !quick,
    };
  } finally {
    await browser?.close().catch(() => {});
    if (server) await stop(server.child);
    rmSync(tmp, { recursive: true, force: true });
  }
}
