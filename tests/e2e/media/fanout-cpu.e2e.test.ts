/**
 * Measurement, not a check: CPU of the SFU process while one Chromium publisher is forwarded to
 * 1, 5, 10 and 20 subscribers. Subscribers are node-datachannel endpoints in a child process, so
 * the figure is the SFU's alone (its JavaScript plus libdatachannel's ICE/DTLS/SRTP threads).
 * Opt-in: MEDIA_BENCH=1 npx vitest run --project e2e tests/e2e/media/fanout-cpu
 */
import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { Sfu, type Peer } from '../../../packages/server/src/media/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!process.env.MEDIA_BENCH)('SFU fan-out CPU (measurement)', () => {
  let http: Server | undefined;
  let browser: Browser | undefined;
  let child: ChildProcess | undefined;
  let sfu: Sfu | undefined;

  afterAll(async () => {
    child?.send({ type: 'close' });
    sfu?.close();
    await browser?.close();
    http?.close();
  });

  it('measures CPU per forwarded packet and per Mbit/s', { timeout: 240_000 }, async () => {
    // A realistic 640×480 source (the default fake camera is an easy ~470 kbit/s pattern).
    const y4m = join(tmpdir(), 'parley-bench-src.y4m');
    if (!existsSync(y4m)) {
      execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=30,noise=alls=12:allf=t', '-t', '10', '-pix_fmt', 'yuv420p', y4m]);
    }
    http = createServer((_, res) => res.end('<!doctype html><title>bench</title>'));
    await new Promise<void>((r) => http!.listen(0, '127.0.0.1', r));
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
    });
    sfu = new Sfu({ maxVideoBitrate: 2_000_000 });
    const room = sfu.createRoom('bench');
    const alice = room.addPeer('alice');
    const page = await browser.newPage();
    await page.exposeFunction('toNode', (c: string, mid: string) => alice.addRemoteCandidate('publisher', c, mid));
    await page.goto(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`);
    alice.on('candidate', (c) => void page.evaluate(([cand, mid]) => (window as any).pc.addIceCandidate({ candidate: cand, sdpMid: mid }).catch(() => {}), [c.candidate, c.sdpMid]));
    alice.on('publisherSdp', ({ sdp }) => void page.evaluate((s) => (window as any).pc.setRemoteDescription({ type: 'answer', sdp: s }), sdp));
    const offer: string = await page.evaluate(async () => {
      const pc = new RTCPeerConnection();
      (window as any).pc = pc;
      pc.onicecandidate = (e) => e.candidate && (window as any).toNode(e.candidate.candidate, e.candidate.sdpMid);
      const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480, frameRate: 30 } });
      for (const t of s.getTracks()) pc.addTransceiver(t, { direction: 'sendonly', streams: [s] });
      const o = await pc.createOffer();
      await pc.setLocalDescription(o);
      return o.sdp!;
    });
    alice.handlePublisherOffer(offer);

    child = fork(new URL('./fanout-subscribers.mjs', import.meta.url), { stdio: 'inherit' });
    const subscribers = new Map<string, Peer>();
    let childStats: { packets: number; bytes: number; connected: number } = { packets: 0, bytes: 0, connected: 0 };
    child.on('message', (msg: any) => {
      const p = subscribers.get(msg.id);
      if (msg.type === 'answer') p?.handleSubscriberAnswer(msg.sdp);
      else if (msg.type === 'candidate') p?.addRemoteCandidate('subscriber', msg.candidate, msg.mid);
      else if (msg.type === 'stats') childStats = msg;
    });
    const askStats = async () => {
      child!.send({ type: 'stats' });
      await sleep(50);
      return childStats;
    };

    const sent = () => {
      let packets = 0;
      let bytes = 0;
      for (const p of subscribers.values()) for (const f of p.subscriptions) {
        const s = f.getStats();
        packets += s.packetsOut + s.retransmitted;
        bytes += s.bytesOut;
      }
      return { packets, bytes };
    };

    await sleep(4000); // publisher ramps up
    const rows: string[] = [];
    let prev: { n: number; cpu: number; pps: number } | undefined;
    for (const n of [0, 1, 5, 10, 20]) {
      while (subscribers.size < n) {
        const id = `s${subscribers.size}`;
        const peer = room.addPeer(id);
        subscribers.set(id, peer);
        peer.on('subscriberSdp', ({ sdp }) => child!.send({ type: 'offer', id, sdp }));
        peer.on('candidate', (c) => child!.send({ type: 'candidate', id, candidate: c.candidate, mid: c.sdpMid }));
        for (const t of room.tracks) peer.subscribe(t);
      }
      const deadline = Date.now() + 20_000;
      while ((await askStats()).connected < n && Date.now() < deadline) await sleep(200);
      await sleep(3000);
      const c0 = process.cpuUsage();
      const s0 = sent();
      const in0 = room.tracks.reduce((a, t) => a + t.getStats().bytesIn, 0);
      const t0 = performance.now();
      await sleep(10_000);
      const c1 = process.cpuUsage(c0);
      const s1 = sent();
      const in1 = room.tracks.reduce((a, t) => a + t.getStats().bytesIn, 0);
      const secs = (performance.now() - t0) / 1000;
      const cpu = (c1.user + c1.system) / 1e6 / secs; // cores
      const pps = (s1.packets - s0.packets) / secs;
      const mbpsOut = ((s1.bytes - s0.bytes) * 8) / secs / 1e6;
      const mbpsIn = ((in1 - in0) * 8) / secs / 1e6;
      const marginal = prev && pps > prev.pps ? ((cpu - prev.cpu) / (pps - prev.pps)) * 1e6 : NaN;
      rows.push(
        `${String(n).padStart(2)} subscribers: CPU ${(cpu * 100).toFixed(1)} % of a core, in ${mbpsIn.toFixed(2)} Mbit/s, out ${mbpsOut.toFixed(1)} Mbit/s (${Math.round(pps)} pkt/s)` +
          (Number.isNaN(marginal) ? '' : `, marginal ${marginal.toFixed(1)} µs per forwarded packet`),
      );
      prev = { n, cpu, pps };
    }
    console.log(`[media fan-out CPU, SFU process incl. libdatachannel threads, ${process.version}]\n  ${rows.join('\n  ')}`);
    expect(rows).toHaveLength(5);
  });
});
