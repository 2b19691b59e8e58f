// The measuring half of the sfu-fanout benchmark: for one server whose publisher is sending, add
// load-client subscribers up to each N, measure a window (server CPU and RSS from /proc, packets
// and loss from the load client, the kernel's UDP drops), decide whether the server held N, and
// derive slopes over N. See bench/README.md, "sfu-fanout".
import { setTimeout as sleep } from 'node:timers/promises';
import { treeCpuMs, treeRssBytes, udpDrops } from './proc.mjs';
import { fmt, fmtBytes } from './results.mjs';

/** The headline ratios are taken at the largest N ≤ this measured by both servers. */
export const HEADLINE_MAX_N = 40;

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
export const SAMPLE = 40;
export const SAMPLE_EVERY = 5;
/** Window of the capacity probes (N > HEADLINE_MAX_N), s. */
export const PROBE_WINDOW_S = 6;

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
export const MIN_RATE_SHARE = 0.85;

/** True when a row shows the server holding its N subscribers of the full stream on one core with 0 loss. */
export const holds = (r) => !r.error && r.lost === 0 && r.udpDrops === 0 && r.cpu < 1 && r.receiving === r.n && !r.degraded;

/**
 * One server under test: publisher already sending; adds subscribers up to each N and measures a
 * window. `addSubscribers(k)` asks the load client for k more; `pubOut()` reads the publisher.
 * At N = HEADLINE_MAX_N two windows are taken and the one with less server CPU kept (the least
 * disturbed by the rest of the machine). Past HEADLINE_MAX_N the series stops at the first N the
 * server does not hold: larger ones only cost time.
 */
export async function measureSeries({ label, pid, lcPid, ns, windowS, settleS, addSubscribers, loadclient, pubOut, log }) {
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
    for (let prev = await loadclient({ cmd: 'stats' }); ;) {
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

export function derive(rows) {
  const ok = rows.filter((r) => !r.error && Number.isFinite(r.cpu));
  // Slopes over the N (≤ 40); the capacity probes saturate the machine.
  const lin = ok.filter((r) => r.n <= HEADLINE_MAX_N);
  const perPacketUs =
    slope(
      lin.map((r) => r.outPps),
      lin.map((r) => r.cpu),
    ) * 1e6;
  const perMbpsSlope = slope(
    lin.map((r) => r.mbps),
    lin.map((r) => r.cpu),
  );
  const rssPerSub = slope(
    lin.map((r) => r.n),
    lin.map((r) => r.rss),
  );
  const held = ok.filter(holds).map((r) => r.n);
  // Largest N such that it and every smaller N held (a later success after a failure is not counted).
  let maxHeld = 0;
  for (const r of ok) {
    if (held.includes(r.n)) maxHeld = r.n;
    else break;
  }
  return { perPacketUs, perMbpsSlope, rssPerSub, maxHeld, rows: ok };
}
