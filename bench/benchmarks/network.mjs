// network: a subscriber Chromium in a network namespace (tests/harness/netns) receives one
// publisher's simulcast camera (fake device, 640×480 30 fps y4m, publisher Chromium on the host)
// through Parley's SFU and through Janus 1.1.2's videoroom, in the same run, on two emulated links:
// 400 kbit/s (tbf, towards the subscriber) + 40 ms delay (UdpDelayRelay on every media path), and
// 5 % random loss (nftables numgen, towards the subscriber, rate unconstrained). After the first
// decoded frame and a warm-up, a fixed window gives the subscriber's received frame rate
// (framesDecoded delta ÷ s), freeze time (totalFreezesDuration delta) and received video bit rate.
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NetNamespace, UdpDelayRelay, assertNetAdmin } from '../../tests/harness/netns/index.mjs';
import { freePort, stop } from '../lib/children.mjs';
import { PAGE_JANUS_PUBLISH, startJanus } from '../lib/janus.mjs';
import { loadAverage } from '../lib/machine.mjs';
import { CHROMIUM, CHROMIUM_ARGS, chromiumVersion, ensureY4m, hostAddress, launchChromium, openSdkPage, PAGE_REGISTER } from '../lib/media-bench.mjs';
import { PAGE_INBOUND, PAGE_JANUS_SUBSCRIBE, PAGE_PARLEY_SUBSCRIBE } from '../lib/network-pages.mjs';
import { fmt, fmtRatio } from '../lib/results.mjs';
import { ratio } from '../lib/stats.mjs';

export const meta = {
  name: 'network',
  title: 'Emulated networks: subscriber in a netns (400 kbps + 40 ms, 5 % loss), simulcast camera, Parley vs Janus 1.1.2',
  timeoutMs: 12 * 60_000,
  needsBrowser: true,
};

const LINKS = [
  { key: 'slow', label: '400 kbit/s + 40 ms delay', rateKbit: 400, delayMs: 40, lossPct: 0 },
  { key: 'loss', label: '5 % random loss', rateKbit: undefined, delayMs: 0, lossPct: 5 },
];
const WARMUP_S = 5;
const WINDOW_S = 20;
const FIRST_FRAME_TIMEOUT_MS = 60_000;
const STALL_POLL_MS = 250;
/** A stall open at the window's end counts from this long without a decoded frame (WebRTC's freeze is ≥ 150 ms past the usual frame gap). */
const OPEN_STALL_S = 0.5;

/** In-page, Parley publisher: joins `room` and publishes the camera with simulcast. */
const PAGE_PUBLISH_SIMULCAST = async (room) => {
  // eslint-disable-next-line no-undef -- B is the page global set by PAGE_REGISTER.
  const conv = B.session.getOrCreateConversation(room, {});
  await conv.join();
  // eslint-disable-next-line no-undef -- idem.
  const stream = await B.ua.createStream({ constraints: { audio: true, video: { width: 640, height: 480, frameRate: 30 } } });
  await conv.publish(stream, { simulcast: true });
  return stream.streamId;
};

/** Applies the link's impairments and one delay relay per (server address, media port). */
async function shapeLink(ns, link, targets) {
  const relays = [];
  if (link.rateKbit) await ns.limitRate('down', link.rateKbit);
  if (link.lossPct) await ns.setLoss(link.lossPct, { direction: 'down' });
  // Every case goes through the relays (0 ms when the link has no delay) so both servers' media
  // take the same path in every case (a direct path from the namespace to Janus failed ICE).
  for (const target of targets) {
    const relay = await UdpDelayRelay.start({ listen: { address: ns.hostAddress }, target, delayMs: link.delayMs });
    relays.push(relay);
    await ns.redirectUdp(target, relay.address);
  }
  return relays;
}

/** Waits for the first decoded frame, warms up, then measures one window. */
async function measure(page, which, log, label) {
  const t0 = Date.now();
  let firstFrameS = NaN; // stays NaN when no frame came
  for (;;) {
    const s = await page.evaluate(PAGE_INBOUND, which);
    if (s.frames > 0) {
      firstFrameS = (Date.now() - t0) / 1000;
      break;
    }
    if (Date.now() - t0 > FIRST_FRAME_TIMEOUT_MS) {
      // Media arriving on a connected transport but never decoding is a result (0 fps, the whole
      // window frozen), not a failure of the harness.
      if (s.state === 'connected' && s.bytes > 0) {
        log(`  ${label}: no frame decoded within ${FIRST_FRAME_TIMEOUT_MS / 1000} s (${s.bytes} video bytes received); measuring anyway`);
        break;
      }
      throw new Error(`no frame decoded within ${FIRST_FRAME_TIMEOUT_MS / 1000} s (${s.bytes} video bytes received, connection ${s.state})`);
    }
    await sleep(250);
  }
  await sleep(WARMUP_S * 1000);
  const a = await page.evaluate(PAGE_INBOUND, which);
  // Polled through the window: getStats counts a freeze only once it ends (a frame is decoded), so
  // a stall still running at the window's end (or a stream that never resumes) would count as 0.
  let last = a;
  let lastAdvanceAt = a.at;
  const endAt = Date.now() + WINDOW_S * 1000;
  while (Date.now() < endAt) {
    await sleep(STALL_POLL_MS);
    const cur = await page.evaluate(PAGE_INBOUND, which);
    if (cur.frames > last.frames) lastAdvanceAt = cur.at;
    last = cur;
  }
  const b = last;
  const s = (b.at - a.at) / 1000;
  const openStallS = (b.at - lastAdvanceAt) / 1000 >= OPEN_STALL_S ? (b.at - lastAdvanceAt) / 1000 : 0;
  const statsFreezeS = b.freezeS - a.freezeS;
  const r = {
    firstFrameS,
    fps: (b.frames - a.frames) / s,
    statsFreezeS,
    openStallS,
    // Capped at the window: a freeze ending early in it may have begun before it.
    freezeS: Math.min(s, statsFreezeS + openStallS),
    freezes: b.freezes - a.freezes,
    kbps: ((b.bytes - a.bytes) * 8) / s / 1000,
    width: b.width,
  };
  log(
    `  ${label}: ${fmt(r.fps, 1)} fps, freeze ${fmt(r.freezeS, 2)} s (getStats ${fmt(r.statsFreezeS, 2)} s in ${r.freezes} freezes + open stall ${fmt(r.openStallS, 2)} s), ${fmt(r.kbps)} kbit/s, width ${r.width}`,
  );
  return r;
}

async function runParley({ link, tmp, y4m, host, log }) {
  const { startParley } = await import('../lib/media-bench.mjs');
  const muxPort = await freePort();
  const ns = await NetNamespace.create();
  let server;
  let pubBrowser;
  let subBrowser;
  let relays = [];
  try {
    server = await startParley({ tmp, tag: `net-${link.key}`, env: { HOST: '0.0.0.0', PARLEY_MEDIA_UDP_MUX_PORT: String(muxPort) } });
    relays = await shapeLink(ns, link, [
      { address: host, port: muxPort },
      { address: ns.hostAddress, port: muxPort },
    ]);
    pubBrowser = await launchChromium({ y4m });
    const pub = await openSdkPage(pubBrowser, server.origin);
    await pub.page.evaluate(PAGE_REGISTER);
    await pub.page.evaluate(PAGE_PUBLISH_SIMULCAST, 'net');
    const origin = `http://${ns.hostAddress}:${server.port}`;
    subBrowser = await launchIn(ns, origin);
    const sub = await openSdkPage(subBrowser, origin);
    await sub.page.evaluate(PAGE_REGISTER);
    await sub.page.evaluate(PAGE_PARLEY_SUBSCRIBE, 'net');
    return { version: server.version, ...(await measure(sub.page, 'parley', log, `Parley, ${link.label}`)) };
  } finally {
    await subBrowser?.close().catch(() => {});
    await pubBrowser?.close().catch(() => {});
    for (const r of relays) await r.close();
    await ns.close();
    if (server) await stop(server.child);
  }
}

async function runJanus({ link, tmp, y4m, host, log }) {
  // Two media ports (publisher + subscriber handle) on eth0's address alone, so the relays cover every path.
  const base = 20000 + Math.floor(Math.random() * 20000);
  const ports = [base, base + 1, base + 2, base + 3];
  const iface = ifaceOf(host);
  const ns = await NetNamespace.create();
  let janus;
  let pubBrowser;
  let subBrowser;
  let relays = [];
  try {
    janus = await startJanus({ tmp, tuned: false, wsIp: '0.0.0.0', rtpPortRange: `${ports[0]}-${ports[ports.length - 1]}`, iceEnforce: iface });
    relays = await shapeLink(
      ns,
      link,
      ports.map((port) => ({ address: host, port })),
    );
    pubBrowser = await launchChromium({ y4m });
    const pubPage = await blankPage(pubBrowser, 'http://127.0.0.1:9');
    const feed = await pubPage.evaluate(PAGE_JANUS_PUBLISH, { url: janus.url, room: 1234, simulcast: true });
    // Whether Janus took the three layers: its answer accepts the offer's rids (a=simulcast:recv).
    const simulcast = await pubPage.evaluate(() => /a=simulcast:recv/.test(window.JPUB.pc.remoteDescription.sdp));
    const origin = `http://${ns.hostAddress}:9`;
    subBrowser = await launchIn(ns, origin);
    const subPage = await blankPage(subBrowser, origin);
    const wsPort = new URL(janus.url).port;
    await subPage.evaluate(PAGE_JANUS_SUBSCRIBE, { url: `ws://${ns.hostAddress}:${wsPort}`, room: 1234, feed });
    return { simulcast, ...(await measure(subPage, 'janus', log, `Janus, ${link.label}${simulcast ? '' : ' (publisher NOT simulcast)'}`)) };
  } finally {
    await subBrowser?.close().catch(() => {});
    await pubBrowser?.close().catch(() => {});
    for (const r of relays) await r.close();
    await ns.close();
    if (janus) await stop(janus.child);
  }
}

/** Chromium inside the namespace; `origin` (plain http on the veth) counts as a secure context. */
async function launchIn(ns, origin) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: ns.wrapExecutable(CHROMIUM), args: [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=${origin}`] });
}

/** An empty page on `origin`, answered by playwright (no server behind it). */
async function blankPage(browser, origin) {
  const context = await browser.newContext();
  await context.route(`${origin}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html><body></body></html>' }));
  const page = await context.newPage();
  await page.goto(`${origin}/net.html`);
  return page;
}

function ifaceOf(address) {
  const out = spawnSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' }).stdout ?? '';
  const line = out.split('\n').find((l) => l.includes(` ${address}/`));
  if (!line) throw new Error(`no interface holds ${address}`);
  return line.split(/\s+/)[1];
}

export async function run(ctx) {
  assertNetAdmin();
  const tmp = mkdtempSync(join(tmpdir(), 'parley-bench-net-'));
  const host = hostAddress();
  if (!host) throw new Error('no non-loopback IPv4 address: the media path needs one');
  const y4m = ensureY4m();
  const janusVersion = spawnSync('janus', ['--version'], { encoding: 'utf8' }).stdout?.match(/\(([\d.]+)\)/)?.[1] ?? null;
  const load = [loadAverage()];
  const res = {};
  const failures = {};
  let parleyVersion = 'unknown';
  // BENCH_NET_ONLY=janus.loss (a comma list of server.link) limits the run while debugging; never for recorded runs.
  const only = process.env.BENCH_NET_ONLY ? new Set(process.env.BENCH_NET_ONLY.split(',')) : null;
  for (const link of LINKS) {
    for (const server of ['parley', 'janus']) {
      const key = `${server}.${link.key}`;
      if (only && !only.has(key)) continue;
      try {
        const r = server === 'parley' ? await runParley({ link, tmp, y4m, host, log: ctx.log }) : await runJanus({ link, tmp, y4m, host, log: ctx.log });
        if (server === 'parley') parleyVersion = r.version;
        res[key] = r;
      } catch (err) {
        failures[key] = String(err.message ?? err).split('\n')[0];
        ctx.log(`  ${key} failed: ${err.stack ?? err}`);
      }
      load.push(loadAverage());
    }
  }
  rmSync(tmp, { recursive: true, force: true });

  const cell = (key, f) => (res[key] ? f(res[key]) : `not measured: ${failures[key]}`);
  const rows = [];
  for (const link of LINKS) {
    const p = res[`parley.${link.key}`];
    const j = res[`janus.${link.key}`];
    const freezeRatio = p && j ? (p.freezeS + 1) / (j.freezeS + 1) : NaN;
    rows.push([
      link.label,
      'received frame rate (fps)',
      cell(`parley.${link.key}`, (r) => fmt(r.fps, 1)),
      cell(`janus.${link.key}`, (r) => fmt(r.fps, 1)),
      p && j && j.fps === 0 && p.fps > 0 ? '∞ (Janus 0 fps)' : fmtRatio(ratio(p?.fps, j?.fps)),
    ]);
    rows.push([
      link.label,
      'total freeze time (s) [getStats s, freezes + open stall s]',
      cell(`parley.${link.key}`, (r) => `${fmt(r.freezeS, 2)} [${fmt(r.statsFreezeS, 2)}, ${r.freezes} + ${fmt(r.openStallS, 2)}]`),
      cell(`janus.${link.key}`, (r) => `${fmt(r.freezeS, 2)} [${fmt(r.statsFreezeS, 2)}, ${r.freezes} + ${fmt(r.openStallS, 2)}]`),
      `${fmtRatio(freezeRatio)} (s + 1 ratio)`,
    ]);
    rows.push([
      link.label,
      'received video bit rate (kbit/s)',
      cell(`parley.${link.key}`, (r) => fmt(r.kbps)),
      cell(`janus.${link.key}`, (r) => fmt(r.kbps)),
      fmtRatio(ratio(p?.kbps, j?.kbps)),
    ]);
    rows.push([
      link.label,
      'decoded width at the end (px)',
      cell(`parley.${link.key}`, (r) => String(r.width)),
      cell(`janus.${link.key}`, (r) => String(r.width)),
      '—',
    ]);
    rows.push([
      link.label,
      'publisher simulcast accepted',
      'yes (SDK)',
      cell(`janus.${link.key}`, (r) => (r.simulcast ? 'yes (a=simulcast:recv in the answer)' : 'NO')),
      '—',
    ]);
    rows.push([
      link.label,
      'first frame after subscribe (s; — = none within 60 s)',
      cell(`parley.${link.key}`, (r) => fmt(r.firstFrameS, 1)),
      cell(`janus.${link.key}`, (r) => fmt(r.firstFrameS, 1)),
      '—',
    ]);
  }
  const p = res['parley.slow'];
  const j = res['janus.slow'];
  const freezeHead = p && j ? fmt((p.freezeS + 1) / (j.freezeS + 1), 2) : `not measured: ${failures['parley.slow'] ?? failures['janus.slow']}`;
  // Janus at 0 fps (a stream that never decodes) makes the ratio unbounded: printed as "inf".
  const fpsHead =
    p && j
      ? j.fps > 0
        ? fmt(p.fps / j.fps, 2)
        : p.fps > 0
          ? 'inf'
          : 'undefined (both 0 fps)'
      : `not measured: ${failures['parley.slow'] ?? failures['janus.slow']}`;
  const notes = [
    `Publisher: Chromium (${chromiumVersion()}) on the host with --use-file-for-fake-video-capture (640×480 30 fps testsrc2 + noise y4m) + fake mic, simulcast VP8: Parley through the SDK (publish with {simulcast: true}, the SDK's layers), Janus through its videoroom API from the page with three rid encodings (h 900 kbit/s, m 300 kbit/s ÷2, l 100 kbit/s ÷4, the same as Parley's defaults). ` +
      `Subscriber: Chromium inside a fresh network namespace per case (tests/harness/netns), Parley through the SDK (conv.join + subscribeToStream), Janus through the videoroom API (join ptype subscriber + start) with Janus's own substream choice (its default: the top layer; Janus 1.1.2 does not switch layers on the subscriber's bandwidth).`,
    `Links (towards the subscriber; the uplink is not constrained): ${LINKS.map((l) => l.label).join('; ')}. Rate = tbf on the host end of the veth; loss = nftables numgen random drop; delay = UdpDelayRelay (userspace: every datagram held ≥ ${LINKS[0].delayMs} ms in each direction, so ≥ ${2 * LINKS[0].delayMs} ms added round trip; 0 ms in the loss case, where the relays stay so both servers' media take the same path, a direct namespace → Janus path having failed ICE in a trial) on every media path: Parley with one ICE UDP mux port (relays for the host's and the veth's address), Janus with rtp_port_range of 4 ports and ice_enforce_list = the host interface (a relay per port).`,
    `Window: first decoded frame, ${WARMUP_S} s warm-up, then ${WINDOW_S} s. fps = framesDecoded delta ÷ s; freeze = totalFreezesDuration delta (getStats) + the stall still open at the window's end (≥ ${OPEN_STALL_S} s since the last decoded frame, polled every ${STALL_POLL_MS} ms; getStats counts a freeze only when a frame ends it, so a stream that stops decoding would otherwise show 0), capped at the window's length; bit rate = inbound video bytesReceived delta.`,
    `Headlines (400 kbit/s link): freeze ratio = (Parley freeze s + 1) ÷ (Janus freeze s + 1); fps ratio = Parley fps ÷ Janus fps.`,
    `Load average: ${load.join(' → ')}.`,
    ...Object.entries(failures).map(([k, v]) => `${k}: NOT MEASURED — ${v}`),
  ];
  if (!res['parley.slow'] && !res['parley.loss']) throw new Error(`network: Parley not measured: ${JSON.stringify(failures)}`);
  return {
    tables: [{ title: 'Subscriber on an emulated link: Parley vs Janus (same run)', columns: ['link', 'metric', 'Parley', 'Janus', 'Parley ÷ Janus'], rows }],
    notes,
    versions: { 'Parley server': parleyVersion, Janus: janusVersion ?? 'not installed', Chromium: chromiumVersion() },
    extraLines: [`network-freeze-ratio-vs-janus: ${freezeHead}`],
    headlineName: 'network-fps-ratio-vs-janus',
    headline: fpsHead,
    record: !only,
  };
}
