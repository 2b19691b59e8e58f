// sfu-fanout: one real Chromium publisher (VP8 + Opus, 640×480 30 fps noisy y4m fake camera,
// ≈ 1.7 Mbps) and N subscribers (N = 1, 5, 10, 20, 40, and 80 … 240 to probe capacity) through the SFU, Parley against Janus
// 1.1.2 (videoroom plugin) in the same invocation, Janus in two configurations: its defaults and
// `event_loops = 2`.
//
// Subscribers are load clients in a separate process (bench/lib/sfu-loadclient.mjs): one
// signalling session + one node-datachannel PeerConnection each, counting RTP packets, bytes and
// sequence gaps per SSRC. The server runs as a child; its process-tree CPU (utime + stime) and RSS
// come from /proc. For each N (subscribers are added up to N, 3 s to settle) a steady 10 s window
// gives: server CPU (fraction of one core), RSS, packets in/s (publisher's outbound, audio +
// video, from Chromium's stats), packets out/s and forwarded Mbps (received by the subscribers),
// loss ((expected − received) ÷ expected over the window). Derived: CPU per forwarded Mbps (CPU
// seconds per second ÷ Mbps) at each N, CPU per forwarded packet and RSS per subscriber from the
// least-squares slope over N, and the largest N held on one core (CPU < 100 %) with 0 loss.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, ipcClient, spawnCommand, spawnNode, stop, tail, waitForJsonLine } from '../lib/children.mjs';
import { benchDir, loadAverage } from '../lib/machine.mjs';
import { chromiumVersion, ensureY4m, launchChromium, openSdkPage, PAGE_PUBLISH, PAGE_REGISTER, startParley } from '../lib/media-bench.mjs';
import { treeCpuMs, treeRssBytes, udpDrops } from '../lib/proc.mjs';
import { fmt, fmtBytes, fmtRatio } from '../lib/results.mjs';
import { ratio } from '../lib/stats.mjs';

export const meta = {
  name: 'sfu-fanout',
  title: 'SFU fan-out: 1 Chromium publisher → N node-datachannel subscribers, server CPU/RSS/loss, Parley vs Janus 1.1.2',
  timeoutMs: 14 * 60_000,
};

const TARGETS = { cpuVsJanus: 0.5, cpuVsJanusTuned: 0.8, rssPerSub: 1.0, subsAtZeroLoss: 1.5 };
/** The headline ratios are taken at the largest N ≤ this measured by both servers. */
const HEADLINE_MAX_N = 40;
const JANUS_PLUGINS = '/usr/lib/x86_64-linux-gnu/janus';

/** In-page: publisher outbound totals (audio + video packets, video bytes). */
const PAGE_OUT = async (pcs) => {
  let out = { packets: 0, videoBytes: 0, width: 0, height: 0, at: performance.now() };
  const list = pcs === 'janus' ? [window.JPUB.pc] : Parley.debug.peerConnections();
  for (const pc of list) {
    const stats = await pc.getStats();
    stats.forEach((r) => {
      if (r.type !== 'outbound-rtp') return;
      out.packets += r.packetsSent || 0;
      if (r.kind === 'video') {
        out.videoBytes += r.bytesSent || 0;
        out.width = r.frameWidth || out.width;
        out.height = r.frameHeight || out.height;
      }
    });
  }
  return out;
};

/** In-page: a Janus videoroom publisher over the janus-protocol WebSocket. Resolves the feed id. */
const PAGE_JANUS_PUBLISH = async ({ url, room }) => {
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
  for (const t of stream.getTracks()) pc.addTrack(t, stream);
  pc.onicecandidate = (e) =>
    ws.send(JSON.stringify({ janus: 'trickle', transaction: 'c' + ++tx, session_id: sessionId, handle_id: handleId, candidate: e.candidate ? e.candidate.toJSON() : { completed: true } }));
  await pc.setLocalDescription();
  const conf = await send({ janus: 'message', body: { request: 'configure', audio: true, video: true }, jsep: { type: 'offer', sdp: pc.localDescription.sdp } }, 'event');
  if (!conf.jsep) throw new Error('janus configure: no answer ' + JSON.stringify(conf));
  await pc.setRemoteDescription(conf.jsep);
  setInterval(() => ws.send(JSON.stringify({ janus: 'keepalive', session_id: sessionId, transaction: 'k' + ++tx })), 20000);
  window.JPUB = { ws, pc, stream };
  return data.id;
};

function janusConfig(dir, { wsPort, tuned }) {
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
media: {}
nat: {
  ice_ignore_list = "vmnet"
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
  ws_ip = "127.0.0.1"
  wss = false
}
admin: {
  admin_ws = false
  admin_wss = false
}
`,
  );
}

async function startJanus({ tmp, tuned }) {
  const dir = mkdtempSync(join(tmp, `janus-${tuned ? 'tuned' : 'default'}-`));
  const wsPort = await freePort();
  janusConfig(dir, { wsPort, tuned });
  const child = spawnCommand('janus', ['-F', dir, '-C', join(dir, 'janus.jcfg'), '-o'], { cwd: dir, logFile: join(tmp, `janus-${tuned ? 'tuned' : 'default'}.log`) });
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

/** Waits (≤ 30 s) until the publisher's video rate is steady near the source's ≈1.7 Mbps. */
async function waitPublisherRamp(pubOut, log, label) {
  const t0 = Date.now();
  let prev = await pubOut();
  let mbps = 0;
  while (Date.now() - t0 < 30000) {
    await sleep(2000);
    const cur = await pubOut();
    mbps = ((cur.videoBytes - prev.videoBytes) * 8) / ((cur.at - prev.at) * 1000);
    prev = cur;
    if (mbps >= 1.4) break;
  }
  log(`  ${label}: publisher video at ${fmt(mbps, 2)} Mbps after ${fmt((Date.now() - t0) / 1000, 0)} s ramp-up`);
  return mbps;
}

function slope(xs, ys) {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** The load client counts every packet of the first SAMPLE subscribers and of one in SAMPLE_EVERY after. */
const SAMPLE = 40;
const SAMPLE_EVERY = 5;
/** Window of the capacity probes (N > HEADLINE_MAX_N), s. */
const PROBE_WINDOW_S = 6;

/** Packet counters summed over the counted subscribers of one stats snapshot. */
function totals(stats) {
  let packets = 0;
  let bytes = 0;
  let expected = 0;
  let counted = 0;
  for (const s of stats) {
    if (!s.counted) continue;
    counted++;
    for (const c of s.ssrcs) {
      packets += c.packets;
      bytes += c.bytes;
      expected += c.expected;
    }
  }
  return { packets, bytes, expected, counted };
}

/**
 * Subscribers that received the stream during a window: counted ones got packets in it, the
 * others have their connection and tracks up (their sockets' losses show in the UDP drop count).
 */
function receivingCount(before, after) {
  return after.filter((s, i) => {
    if (!s.counted) return s.up;
    const got = (x) => (x ? x.ssrcs.reduce((a, c) => a + c.packets, 0) : 0);
    return got(s) > got(before[i]);
  }).length;
}

/**
 * A subscriber's forwarded rate may fall to this share of its rate at the first N before the
 * stream counts as degraded: an overloaded server delays packets, and the publisher's congestion
 * control answers by sending less, which loses nothing but is no longer the 1.7 Mbps stream.
 */
const MIN_RATE_SHARE = 0.85;

/** True when a row shows the server holding its N subscribers of the full stream on one core with 0 loss. */
const holds = (r) => !r.error && r.lost === 0 && r.udpDrops === 0 && r.cpu < 1 && r.receiving === r.n && !r.degraded;

/**
 * One server under test: publisher already sending; adds subscribers up to each N and measures a
 * window. `addSubscribers(k)` asks the load client for k more; `pubOut()` reads the publisher.
 * At N = HEADLINE_MAX_N two windows are taken and the one with less server CPU kept (the least
 * disturbed by the rest of the machine). Past HEADLINE_MAX_N the series stops at the first N the
 * server does not hold: larger ones only cost time.
 */
async function measureSeries({ label, pid, lcPid, ns, windowS, settleS, addSubscribers, loadclient, pubOut, log }) {
  const rows = [];
  let have = 0;
  const window = async (n) => {
    const s0 = await loadclient({ cmd: 'stats' });
    const p0 = await pubOut();
    const c0 = treeCpuMs(pid);
    const l0 = treeCpuMs(lcPid);
    const d0 = udpDrops();
    const w0 = Date.now();
    const rss = [];
    // Capacity probes past the N only need to show loss or none: a shorter window.
    const seconds = n > HEADLINE_MAX_N ? Math.min(windowS, PROBE_WINDOW_S) : windowS;
    while (Date.now() - w0 < seconds * 1000) {
      await sleep(1000);
      rss.push(treeRssBytes(pid));
    }
    const c1 = treeCpuMs(pid);
    const l1 = treeCpuMs(lcPid);
    const d1 = udpDrops();
    const w1 = Date.now();
    const s1 = await loadclient({ cmd: 'stats' });
    const p1 = await pubOut();
    const t0 = totals(s0);
    const t1 = totals(s1);
    const dt = (w1 - w0) / 1000;
    const cpu = (c1 - c0) / 1000 / dt;
    // Counted subscribers stand for all: each one is sent the same packets.
    const scale = t1.counted > 0 ? n / t1.counted : NaN;
    const outPps = ((t1.packets - t0.packets) / dt) * scale;
    const mbps = (((t1.bytes - t0.bytes) * 8) / dt / 1e6) * scale;
    const expected = t1.expected - t0.expected;
    const lost = Math.max(0, expected - (t1.packets - t0.packets));
    return {
      n,
      cpu,
      rss: rss.reduce((a, b) => a + b, 0) / rss.length,
      inPps: ((p1.packets - p0.packets) * 1000) / (p1.at - p0.at),
      pubMbps: ((p1.videoBytes - p0.videoBytes) * 8) / ((p1.at - p0.at) * 1000),
      outPps,
      mbps,
      counted: t1.counted,
      loss: expected > 0 ? lost / expected : NaN,
      lost,
      udpDrops: d1 - d0,
      receiving: receivingCount(s0, s1),
      cpuPerMbps: cpu / mbps,
      lcCpu: (l1 - l0) / 1000 / dt,
      res: `${p1.width}×${p1.height}`,
    };
  };
  for (const n of ns) {
    try {
      await addSubscribers(n - have);
    } catch (err) {
      rows.push({ n, error: `adding subscribers failed: ${String(err.message ?? err).split('\n')[0]}` });
      break;
    }
    have = n;
    // Settle: every subscriber's connection receiving, then settleS more seconds.
    const deadline = Date.now() + 20000;
    for (let prev = await loadclient({ cmd: 'stats' }); ; ) {
      await sleep(500);
      const cur = await loadclient({ cmd: 'stats' });
      if (receivingCount(prev, cur) >= n || Date.now() > deadline) break;
      prev = cur;
    }
    await sleep(settleS * 1000);
    let row = await window(n);
    if (n === HEADLINE_MAX_N) {
      const again = await window(n);
      if (again.cpu < row.cpu) row = again;
    }
    const baseline = rows.find((r) => !r.error);
    row.degraded = baseline !== undefined && row.mbps / n < MIN_RATE_SHARE * (baseline.mbps / baseline.n);
    rows.push(row);
    log(
      `  ${label} N=${n}: CPU ${fmt(row.cpu * 100, 1)} %, RSS ${fmtBytes(row.rss)}, in ${fmt(row.inPps)} pkt/s (pub video ${fmt(row.pubMbps, 2)} Mbps), out ${fmt(row.outPps)} pkt/s = ${fmt(row.mbps, 1)} Mbps, loss ${fmt(row.loss * 100, 3)} % (${row.counted} counted), UDP drops ${row.udpDrops}, ${fmt(row.mbps / n, 2)} Mbps per subscriber${row.degraded ? ' (degraded)' : ''}, ${row.receiving}/${n} receiving, load client CPU ${fmt(row.lcCpu * 100, 0)} %`,
    );
    if (n > HEADLINE_MAX_N && !holds(row)) break;
  }
  return rows;
}

function derive(rows) {
  const ok = rows.filter((r) => !r.error && Number.isFinite(r.cpu));
  // Slopes over the N (≤ 40); the capacity probes saturate the machine.
  const lin = ok.filter((r) => r.n <= HEADLINE_MAX_N);
  const perPacketUs = slope(lin.map((r) => r.outPps), lin.map((r) => r.cpu)) * 1e6;
  const perMbpsSlope = slope(lin.map((r) => r.mbps), lin.map((r) => r.cpu));
  const rssPerSub = slope(lin.map((r) => r.n), lin.map((r) => r.rss));
  const held = ok.filter(holds).map((r) => r.n);
  // Largest N such that it and every smaller N held (a later success after a failure is not counted).
  let maxHeld = 0;
  for (const r of ok) {
    if (held.includes(r.n)) maxHeld = r.n;
    else break;
  }
  return { perPacketUs, perMbpsSlope, rssPerSub, maxHeld, rows: ok };
}

export async function run(ctx) {
  const quick = ctx.flags.has('--quick');
  const ns = process.env.BENCH_SFU_NS ? process.env.BENCH_SFU_NS.split(',').map(Number) : quick ? [1, 5] : [1, 5, 10, 20, 40, 80, 120, 160, 200, 240];
  const windowS = quick ? 4 : 10;
  const settleS = 3;
  const tmp = mkdtempSync(join(tmpdir(), 'parley-bench-sfu-'));
  const notes = [];
  const load = [loadAverage()];
  const y4m = ensureY4m();
  const series = {};
  const failures = {};
  let parleyVersion = 'unknown';

  async function withLoadclient(fn) {
    const lc = spawnNode([join(benchDir, 'lib/sfu-loadclient.mjs')], { ipc: true, logFile: join(tmp, `loadclient-${Date.now()}.log`) });
    try {
      await waitForJsonLine(lc, (v) => v.ready === true);
      return await fn(ipcClient(lc), lc);
    } finally {
      await stop(lc, { graceMs: 2000 });
    }
  }

  // BENCH_SFU_SERVERS=parley (or janus,janusTuned) limits the run while profiling; never for recorded runs.
  const only = process.env.BENCH_SFU_SERVERS ? new Set(process.env.BENCH_SFU_SERVERS.split(',')) : null;
  // ---- Parley ----
  if (!only || only.has('parley')) {
    let server;
    let browser;
    try {
      server = await startParley({ tmp, tag: 'sfu' });
      parleyVersion = server.version;
      browser = await launchChromium({ y4m });
      const pub = await openSdkPage(browser, server.origin);
      await pub.page.evaluate(PAGE_REGISTER);
      await pub.page.evaluate(PAGE_PUBLISH, 'fanout');
      await waitPublisherRamp(() => pub.page.evaluate(PAGE_OUT, 'parley'), ctx.log, 'Parley');
      ctx.log(`Parley ${server.version}: publisher sending; subscribers N = ${ns.join(', ')}`);
      series.parley = await withLoadclient((lc, lcChild) =>
        measureSeries({
          label: 'Parley',
          pid: server.pid,
          lcPid: lcChild.pid,
          ns,
          windowS,
          settleS,
          addSubscribers: (k) => lc({ cmd: 'parley', url: server.url, room: 'fanout', n: k, sample: SAMPLE, every: SAMPLE_EVERY }, 180000),
          loadclient: lc,
          pubOut: () => pub.page.evaluate(PAGE_OUT, 'parley'),
          log: ctx.log,
        }),
      );
    } catch (err) {
      failures.parley = String(err.message ?? err).split('\n')[0];
      ctx.log(`  Parley failed: ${err.stack ?? err}`);
    } finally {
      await browser?.close().catch(() => {});
      if (server) await stop(server.child);
    }
  }

  // ---- Janus, default then tuned ----
  // `janus --version` prints its version and exits with status 1.
  const janusVersionOf = () => spawnSync('janus', ['--version'], { encoding: 'utf8' }).stdout?.match(/\(([\d.]+)\)/)?.[1] ?? null;
  let janusVersion = janusVersionOf();
  if (!janusVersion) {
    if (process.getuid?.() === 0) {
      ctx.log('janus not found: apt-get install -y janus …');
      const r = spawnSync('apt-get', ['install', '-y', 'janus'], { encoding: 'utf8', timeout: 300000 });
      janusVersion = janusVersionOf();
      if (!janusVersion) failures.janus = `apt-get install -y janus failed (status ${r.status}): ${(r.stderr || '').trim().split('\n').pop()}`;
    } else failures.janus = 'janus is not installed and this is not root (apt-get install janus)';
  }
  for (const tuned of [false, true]) {
    const key = tuned ? 'janusTuned' : 'janus';
    if (only && !only.has(key)) continue;
    if (!janusVersion) {
      failures[key] = failures.janus;
      continue;
    }
    let janus;
    let browser;
    try {
      janus = await startJanus({ tmp, tuned });
      browser = await launchChromium({ y4m });
      const origin = 'http://127.0.0.1:9'; // answered by playwright's route, no server behind it
      const context = await browser.newContext();
      await context.route(`${origin}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html><body></body></html>' }));
      const page = await context.newPage();
      await page.goto(`${origin}/janus.html`);
      const feed = await page.evaluate(PAGE_JANUS_PUBLISH, { url: janus.url, room: 1234 });
      await waitPublisherRamp(() => page.evaluate(PAGE_OUT, 'janus'), ctx.log, `Janus${tuned ? ' tuned' : ''}`);
      ctx.log(`Janus ${janusVersion} (${tuned ? 'event_loops = 2' : 'defaults'}): publisher feed ${feed} sending`);
      series[key] = await withLoadclient((lc, lcChild) =>
        measureSeries({
          label: `Janus${tuned ? ' tuned' : ''}`,
          pid: janus.pid,
          lcPid: lcChild.pid,
          ns,
          windowS,
          settleS,
          addSubscribers: (k) => lc({ cmd: 'janus', url: janus.url, room: 1234, feed, n: k, sample: SAMPLE, every: SAMPLE_EVERY }, 180000),
          loadclient: lc,
          pubOut: () => page.evaluate(PAGE_OUT, 'janus'),
          log: ctx.log,
        }),
      );
    } catch (err) {
      failures[key] = String(err.message ?? err).split('\n')[0];
      ctx.log(`  Janus${tuned ? ' tuned' : ''} failed: ${err.stack ?? err}`);
    } finally {
      await browser?.close().catch(() => {});
      if (janus) await stop(janus.child);
    }
  }
  load.push(loadAverage());
  rmSync(tmp, { recursive: true, force: true });

  // ---- tables ----
  const names = { parley: 'Parley', janus: 'Janus default', janusTuned: 'Janus event_loops=2' };
  const tables = [];
  const d = {};
  for (const key of ['parley', 'janus', 'janusTuned']) {
    if (!series[key]) continue;
    d[key] = derive(series[key]);
    tables.push({
      title: `${names[key]}: per N (${windowS} s window; ${PROBE_WINDOW_S} s past N = ${HEADLINE_MAX_N})`,
      columns: ['N', 'server CPU', 'RSS', 'pkts in/s', 'pub video Mbps', 'pkts out/s', 'fwd Mbps', 'Mbps per subscriber', 'loss', 'UDP drops', 'CPU ms/s per fwd Mbps', 'receiving', 'load client CPU', 'held'],
      rows: series[key].map((r) =>
        r.error
          ? [String(r.n), r.error, '', '', '', '', '', '', '', '', '', '', '', 'no']
          : [String(r.n), `${fmt(r.cpu * 100, 1)} %`, fmtBytes(r.rss), fmt(r.inPps), fmt(r.pubMbps, 2), (r.counted < r.n ? '≈ ' : '') + fmt(r.outPps), (r.counted < r.n ? '≈ ' : '') + fmt(r.mbps, 1), fmt(r.mbps / r.n, 2) + (r.degraded ? ' (degraded)' : ''), `${fmt(r.loss * 100, 3)} %` + (r.counted < r.n ? ` (${r.counted} counted)` : ''), String(r.udpDrops), fmt(r.cpuPerMbps * 1000, 2), `${r.receiving}/${r.n}`, `${fmt(r.lcCpu * 100, 0)} %`, holds(r) ? 'yes' : 'no'],
      ),
    });
  }
  const notMeasured = (key) => `not measured: ${failures[key] ?? 'no data'}`;
  // Headline CPU per forwarded Mbps: at the largest N measured by both (the most forwarding).
  const at = (key, n) => d[key]?.rows.find((r) => r.n === n);
  const commonN = (a, b) => {
    const na = new Set((d[a]?.rows ?? []).map((r) => r.n));
    // The N stop at 40; 80 and 120 only probe the capacity (the machine saturates there).
    return Math.max(...(d[b]?.rows ?? []).map((r) => r.n).filter((n) => na.has(n) && n <= HEADLINE_MAX_N), -Infinity);
  };
  const cpuRatio = (key) => {
    const n = commonN('parley', key);
    if (!Number.isFinite(n)) return { n: NaN, r: NaN };
    return { n, r: ratio(at('parley', n).cpuPerMbps, at(key, n).cpuPerMbps) };
  };
  const rJ = cpuRatio('janus');
  const rT = cpuRatio('janusTuned');
  const met = (v, target, higher = false) => (!Number.isFinite(v) ? '—' : (higher ? v >= target : v <= target) ? 'met' : 'MISSED');
  const summaryRows = [];
  const per = (key, f) => (d[key] ? f(d[key]) : notMeasured(key));
  summaryRows.push(['CPU per forwarded Mbps (ms/s per Mbps) at N=' + (Number.isFinite(rJ.n) ? rJ.n : rT.n), per('parley', (x) => fmt(at('parley', Number.isFinite(rJ.n) ? rJ.n : rT.n)?.cpuPerMbps * 1000, 2)), per('janus', () => fmt(at('janus', rJ.n)?.cpuPerMbps * 1000, 2)), per('janusTuned', () => fmt(at('janusTuned', rT.n)?.cpuPerMbps * 1000, 2)), fmtRatio(rJ.r), fmtRatio(rT.r), `≤ ${TARGETS.cpuVsJanus} ${met(rJ.r, TARGETS.cpuVsJanus)} / ≤ ${TARGETS.cpuVsJanusTuned} ${met(rT.r, TARGETS.cpuVsJanusTuned)}`]);
  summaryRows.push(['marginal CPU per forwarded Mbps, slope over N ≤ 40 (ms/s per Mbps)', ...['parley', 'janus', 'janusTuned'].map((k) => per(k, (x) => fmt(x.perMbpsSlope * 1000, 2))), fmtRatio(ratio(d.parley?.perMbpsSlope, d.janus?.perMbpsSlope)), fmtRatio(ratio(d.parley?.perMbpsSlope, d.janusTuned?.perMbpsSlope)), '—']);
  summaryRows.push(['CPU per forwarded packet, slope over N ≤ 40 (µs)', ...['parley', 'janus', 'janusTuned'].map((k) => per(k, (x) => fmt(x.perPacketUs, 1))), fmtRatio(ratio(d.parley?.perPacketUs, d.janus?.perPacketUs)), fmtRatio(ratio(d.parley?.perPacketUs, d.janusTuned?.perPacketUs)), '—']);
  const rssR = ratio(d.parley?.rssPerSub, d.janus?.rssPerSub);
  summaryRows.push(['RSS per subscriber, slope over N ≤ 40', ...['parley', 'janus', 'janusTuned'].map((k) => per(k, (x) => fmtBytes(x.rssPerSub))), fmtRatio(rssR), fmtRatio(ratio(d.parley?.rssPerSub, d.janusTuned?.rssPerSub)), `≤ ${TARGETS.rssPerSub} ${met(rssR, TARGETS.rssPerSub)}`]);
  const maxN = ns[ns.length - 1];
  const heldR = ratio(d.parley?.maxHeld, d.janus?.maxHeld);
  const bothCapped = d.parley?.maxHeld === maxN && d.janus?.maxHeld === maxN;
  summaryRows.push([
    `largest N held on one core with 0 loss (of ${ns.join(', ')})`,
    ...['parley', 'janus', 'janusTuned'].map((k) => per(k, (x) => String(x.maxHeld))),
    fmtRatio(heldR) + (bothCapped ? ' (both held the largest N tried: ratio is a lower bound of neither)' : ''),
    fmtRatio(ratio(d.parley?.maxHeld, d.janusTuned?.maxHeld)),
    `≥ ${TARGETS.subsAtZeroLoss} ${bothCapped ? 'not decided (both at the largest N)' : met(heldR, TARGETS.subsAtZeroLoss, true)}`,
  ]);
  tables.push({ title: 'Parley against Janus 1.1.2 (videoroom), same run', columns: ['metric', 'Parley', 'Janus default', 'Janus event_loops=2', 'Parley ÷ default', 'Parley ÷ tuned', 'target'], rows: summaryRows });

  notes.push(
    `Publisher: Chromium (${chromiumVersion()}) with --use-file-for-fake-video-capture (640×480 30 fps testsrc2 + noise=alls=12:allf=t y4m) + fake mic, VP8 + Opus; ` +
      `Parley through the SDK (conv.join + publish), Janus through its videoroom API from the page (join publisher + configure with the offer). ` +
      `Subscribers: bench/lib/sfu-loadclient.mjs, one process, one signalling session + one node-datachannel PeerConnection each (audio + video). The first ${SAMPLE} subscribers and one in ${SAMPLE_EVERY} after them count every RTP packet per SSRC (loss from sequence gaps); the others (capacity probes past N = ${SAMPLE}) take no per-packet callback, which would make the load client the bottleneck, and report their connection and tracks up; there packets out/s and Mbps are the counted subscribers' mean × N (marked ≈) and loss is over the counted ones. UDP drops = the kernel's UDP InErrors + SndbufErrors (IPv4 + IPv6) over the window, for every socket on the machine. ` +
      `Each N is reached by adding subscribers to those already there; ${settleS} s to settle after every subscriber receives, then a ${windowS} s window (${PROBE_WINDOW_S} s for N > ${HEADLINE_MAX_N}; at N = ${HEADLINE_MAX_N} two windows, the one with less server CPU kept, for every server). Server CPU = utime + stime of its process tree from /proc ÷ wall time (100 % = one core). ` +
      `CPU per forwarded Mbps = server CPU seconds per second ÷ Mbps received by the subscribers (RTP bytes incl. headers); the headline ratios are at the largest N ≤ ${HEADLINE_MAX_N} measured by both (larger N go beyond the issue's list to probe capacity, and a server's series stops at the first of them it does not hold). "Held on one core" = server CPU < 100 %, 0 packets lost and 0 UDP drops in the window, every subscriber receiving, and the stream not degraded (Mbps per subscriber ≥ ${MIN_RATE_SHARE * 100} % of that server's first row: an overloaded server delays packets and the publisher's congestion control then sends less); the Chromium publisher and the load client share the same 2 cores.`,
  );
  notes.push(
    `Janus ${janusVersion ?? '(not installed)'}: janus -F <tmp cfg> with only libjanus_videoroom + libjanus_websockets loaded, websockets on 127.0.0.1, no STUN, room 1234 (publishers 1, bitrate cap 4 Mb/s so the ≈1.7 Mbps source is not capped, fir_freq 10, opus/vp8); default = Janus defaults (one loop thread per handle), tuned = event_loops = 2 in janus.jcfg.`,
  );
  notes.push(`Load average: ${load.join(' → ')}.`);
  for (const [k, v] of Object.entries(failures)) notes.push(`${names[k] ?? k}: NOT MEASURED — ${v}`);

  const h1 = Number.isFinite(rJ.r) ? `${fmt(rJ.r, 2)}` : notMeasured('janus');
  const h2 = Number.isFinite(rT.r) ? `${fmt(rT.r, 2)}` : notMeasured('janusTuned');
  if (!d.parley) throw new Error(`sfu-fanout: Parley not measured: ${failures.parley}`);
  return {
    headline: h2,
    extraLines: [`sfu-fanout-cpu-ratio-vs-janus: ${h1}`],
    headlineName: 'sfu-fanout-cpu-ratio-vs-janus-tuned',
    tables,
    notes,
    versions: { 'Parley server': parleyVersion, Janus: janusVersion ?? 'not installed', Chromium: chromiumVersion() },
    record: !quick,
  };
}
