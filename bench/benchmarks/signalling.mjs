// signalling: the built Parley server (child process, measured alone) against a bare `ws`
// server (bench/lib/reference-ws-server.mjs) carrying the same traffic, both driven by one
// load-generator process (bench/lib/signalling-loadgen.mjs). Every phase runs on a fresh server
// process, Parley first then the reference, so each comparison is made minutes apart at most.
//
// Phases: idle sessions at K = 1,000 and 10,000 (register rate, RSS per session), presence
// fan-out 1 → 1,000 subscribers, contact messages and conversation messages (latency at light
// load, throughput).
// Flags: --quick (small K, for trying the harness; not recorded), --profile (CPU-profile the
// Parley server with --cpu-prof and print the hottest functions; not recorded).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ipcClient, spawnNode, stop, waitForJsonLine } from '../lib/children.mjs';
import { formatProfile, summarizeProfiles } from '../lib/cpuprofile.mjs';
import { startParley } from '../lib/media-bench.mjs';
import { benchDir, loadAverage, repoRoot } from '../lib/machine.mjs';
import { openFds, rssBytes, treeRssBytes } from '../lib/proc.mjs';
import { fmt, fmtBytes, fmtRatio } from '../lib/results.mjs';
import { ratio, summarize } from '../lib/stats.mjs';

export const meta = {
  name: 'signalling',
  title: 'Signalling: register rate, RSS per idle session, presence fan-out, contact and conversation messages — Parley vs bare ws',
  timeoutMs: 6 * 60_000,
};

const GiB = 2 ** 30;
const TARGET_SESSIONS_PER_GIB = 20_000;
const TARGET_FANOUT_P99_MS = 100;

function config(quick) {
  return {
    idleKs: quick ? [200, 1000] : [1000, 10_000],
    // Sessions as the SDK registers them by default: every user joins group 'default' and so
    // watches every other one (informational, no target).
    groupIdle: { k: quick ? 200 : 1000, group: 'default' },
    registerConcurrency: 200,
    warmupSessions: 20,
    fanout: { subscribers: quick ? 200 : 1000, rounds: quick ? 10 : 100, warmup: 3, gapMs: 50, roundTimeoutMs: 5000 },
    messages: {
      latencyPairs: 20,
      latencyMessages: quick ? 10 : 100,
      latencyIntervalMs: 25, // 40 messages/s per sender, under the 50/s per-connection rate limit
      tputPairs: quick ? 100 : 1000,
      tputMessages: 80, // + register stays under the rate limiter's burst of 100 per connection
      window: 10,
      timeoutMs: 60_000,
    },
    // Conversations of 5 (a small meeting): every message reaches the 4 other members.
    convMessages: {
      members: 5,
      latencyRooms: 20,
      latencyMessages: quick ? 10 : 100,
      latencyIntervalMs: 25,
      rooms: quick ? 20 : 200,
      tputMessages: 40, // + register + join stays under the rate limiter's burst of 100
      window: 5,
      timeoutMs: 60_000,
    },
  };
}

/** Starts the bare ws reference server on a free port. */
async function startReference({ tmp, tag }) {
  const child = spawnNode([join(benchDir, 'lib/reference-ws-server.mjs')], {
    cwd: repoRoot,
    env: { PORT: '0', HOST: '127.0.0.1' },
    logFile: join(tmp, `reference-${tag}.log`),
  });
  const { port } = await waitForJsonLine(child, (v) => v.ready === true);
  return { child, pid: child.pid, url: `ws://127.0.0.1:${port}/ws`, version: 'bare ws' };
}

/** RSS after it has stopped moving: samples every 250 ms until two agree within 1 % or `maxMs`. */
async function settledRss(pid, maxMs = 3000) {
  let prev = rssBytes(pid);
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    await sleep(250);
    const cur = rssBytes(pid);
    if (Math.abs(cur - prev) <= prev * 0.01) return cur;
    prev = cur;
  }
  return prev;
}

function problems(label, r) {
  const out = [];
  const errs = Object.entries(r.errorAnswers ?? {});
  const closes = Object.entries(r.unexpectedCloses ?? {});
  const sock = Object.entries(r.socketErrors ?? {});
  if (errs.length) out.push(`${label}: error answers ${errs.map(([k, v]) => `${v}× "${k}"`).join(', ')}`);
  if (closes.length) out.push(`${label}: unexpected socket closes ${closes.map(([k, v]) => `${v}× code ${k}`).join(', ')}`);
  if (sock.length) out.push(`${label}: socket errors ${sock.map(([k, v]) => `${v}× ${k}`).join(', ')}`);
  if (r.failed) out.push(`${label}: ${r.failed} registrations failed (${(r.firstFailures ?? []).join('; ')})`);
  if (r.registerFailures) out.push(`${label}: ${r.registerFailures} subscriber registrations failed (${(r.firstFailures ?? []).join('; ')})`);
  if (r.missing) out.push(`${label}: ${r.missing} fan-out deliveries missing after the round timeout`);
  if (r.latencyMissing) out.push(`${label}: ${r.latencyMissing} latency-phase messages not delivered`);
  if (r.tputMissing) out.push(`${label}: ${r.tputMissing} throughput-phase messages not delivered within the timeout`);
  if (r.joinedAll === false) out.push(`${label}: not every subscriber saw the publisher join within 10 s`);
  return out;
}

export async function run({ flags, log }) {
  const quick = flags.has('--quick');
  const profile = flags.has('--profile');
  const cfg = config(quick);
  const tmp = mkdtempSync(join(tmpdir(), 'parley-bench-signalling-'));
  const profileDir = profile ? join(tmp, 'profiles') : null;
  const targets = [
    {
      key: 'parley',
      label: 'Parley',
      start: (tag) =>
        startParley({ tmp, tag, nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${tag}.cpuprofile`] : [] }),
    },
    { key: 'ref', label: 'bare ws', start: (tag) => startReference({ tmp, tag }) },
  ];
  if (flags.has('--ref-as-parley')) targets[0].start = (tag) => startReference({ tmp, tag }); // harness self-test

  const loadgen = spawnNode([join(benchDir, 'lib/signalling-loadgen.mjs')], { cwd: repoRoot, ipc: true, logFile: join(tmp, 'loadgen.log') });
  const call = ipcClient(loadgen);
  const res = { parley: {}, ref: {} };
  const notes = [];
  let serverVersion = 'unknown';

  const loads = [];
  const withServer = async (target, tag, body) => {
    loads.push(`${target.key} ${tag} ${loadAverage().split(' ')[0]}`);
    const server = await target.start(tag);
    if (target.key === 'parley') serverVersion = server.version;
    try {
      return await body(server);
    } finally {
      await stop(server.child, { signal: 'SIGTERM', graceMs: 10_000 });
    }
  };

  try {
    const idlePhases = [
      ...cfg.idleKs.map((k) => ({ key: `idle${k}`, k, groups: [], what: `${fmt(k)} idle registered sessions` })),
      {
        key: 'idleGroup',
        k: cfg.groupIdle.k,
        groups: [cfg.groupIdle.group],
        what: `${fmt(cfg.groupIdle.k)} idle sessions all in group '${cfg.groupIdle.group}'`,
      },
    ];
    for (const { key, k, groups, what } of idlePhases) {
      for (const target of targets) {
        log(`• ${target.label}: ${what}…`);
        res[target.key][key] = await withServer(target, key, async (server) => {
          // Warm-up: load every code path a registration uses before the baseline is taken.
          await call({
            cmd: 'idle',
            url: server.url,
            k: cfg.warmupSessions,
            concurrency: 10,
            prefix: 'warm',
            serverPid: server.pid,
            groups: groups.map((g) => `warm-${g}`),
          });
          await call({ cmd: 'closeAll' });
          await sleep(500);
          const rssBefore = await settledRss(server.pid);
          const r = await call({ cmd: 'idle', url: server.url, k, concurrency: cfg.registerConcurrency, prefix: 'idle', serverPid: server.pid, groups });
          await sleep(1000);
          const rssAfter = await settledRss(server.pid);
          const treeRss = treeRssBytes(server.pid);
          const fds = openFds(server.pid);
          await call({ cmd: 'closeAll' });
          const perSession = (rssAfter - rssBefore) / r.registered;
          return { ...r, rssBefore, rssAfter, treeRss, fds, perSession, perGiB: GiB / perSession, totalPerGiB: r.registered / (rssAfter / GiB) };
        });
      }
    }
    for (const target of targets) {
      await withServer(target, 'traffic', async (server) => {
        log(`• ${target.label}: presence fan-out to ${fmt(cfg.fanout.subscribers)} subscribers, ${cfg.fanout.rounds} rounds…`);
        res[target.key].fanout = await call({
          cmd: 'fanout',
          url: server.url,
          ...cfg.fanout,
          concurrency: cfg.registerConcurrency,
          prefix: 'f',
          serverPid: server.pid,
        });
        log(`• ${target.label}: contact messages…`);
        res[target.key].messages = await call(
          { cmd: 'messages', url: server.url, ...cfg.messages, concurrency: cfg.registerConcurrency, prefix: 'm', serverPid: server.pid },
          180_000,
        );
        log(`• ${target.label}: conversation messages…`);
        res[target.key].convMessages = await call(
          { cmd: 'convMessages', url: server.url, ...cfg.convMessages, concurrency: cfg.registerConcurrency, prefix: 'c', serverPid: server.pid },
          180_000,
        );
      });
    }
  } finally {
    await call({ cmd: 'exit' }).catch(() => {});
    await stop(loadgen, { graceMs: 2000 });
  }

  // ---- report ----
  const P = res.parley;
  const R = res.ref;
  const row = (metric, p, r, fmtv, { target = '' } = {}) => [metric, fmtv(p), fmtv(r), fmtRatio(ratio(p, r)), target];
  const ms = (v) => (Number.isFinite(v) ? `${fmt(v, v < 10 ? 2 : 1)} ms` : '—');
  const perSec = (v) => `${fmt(v)} /s`;
  const us = (v) => `${fmt(v, 0)} µs`;
  const check = (ok) => (ok ? 'met' : 'MISSED');

  const rows = [];
  for (const k of cfg.idleKs) {
    const p = P[`idle${k}`];
    const r = R[`idle${k}`];
    rows.push(row(`register rate, K=${fmt(k)} (${cfg.registerConcurrency} in flight)`, p.ratePerSec, r.ratePerSec, perSec));
    rows.push(row(`server CPU per registration, K=${fmt(k)}`, (p.serverCpuMs * 1000) / p.registered, (r.serverCpuMs * 1000) / r.registered, us));
    rows.push(row(`RSS per idle session, K=${fmt(k)}`, p.perSession, r.perSession, fmtBytes));
    const pass = p.perGiB >= TARGET_SESSIONS_PER_GIB;
    rows.push(
      row(`idle sessions per GiB RSS, K=${fmt(k)}`, p.perGiB, r.perGiB, (v) => fmt(v), { target: `≥ ${fmt(TARGET_SESSIONS_PER_GIB)}: ${check(pass)}` }),
    );
    rows.push([
      `RSS before → after, K=${fmt(k)}`,
      `${fmtBytes(p.rssBefore)} → ${fmtBytes(p.rssAfter)}`,
      `${fmtBytes(r.rssBefore)} → ${fmtBytes(r.rssAfter)}`,
      '',
      '',
    ]);
  }
  {
    const p = P.idleGroup;
    const r = R.idleGroup;
    const label = `K=${fmt(cfg.groupIdle.k)} all in group '${cfg.groupIdle.group}'`;
    rows.push(row(`register rate, ${label}`, p.ratePerSec, r.ratePerSec, perSec));
    rows.push(row(`server CPU per registration, ${label}`, (p.serverCpuMs * 1000) / p.registered, (r.serverCpuMs * 1000) / r.registered, us));
    rows.push(row(`RSS per idle session, ${label}`, p.perSession, r.perSession, fmtBytes));
    rows.push(row(`idle sessions per GiB RSS, ${label}`, p.perGiB, r.perGiB, (v) => fmt(v), { target: '(informational)' }));
  }
  const pf = summarize(P.fanout.latencies);
  const rf = summarize(R.fanout.latencies);
  const pl = summarize(P.fanout.lastReceipt);
  const rl = summarize(R.fanout.lastReceipt);
  const n = fmt(cfg.fanout.subscribers);
  rows.push(row(`presence fan-out to ${n}, p50`, pf.p50, rf.p50, ms));
  rows.push(row(`presence fan-out to ${n}, p99`, pf.p99, rf.p99, ms, { target: `≤ ${TARGET_FANOUT_P99_MS} ms: ${check(pf.p99 <= TARGET_FANOUT_P99_MS)}` }));
  rows.push(row(`fan-out: last of ${n} receipts, median round`, pl.p50, rl.p50, ms));
  rows.push(row(`server CPU per fan-out round (${n} deliveries)`, P.fanout.serverCpuMsPerRound, R.fanout.serverCpuMsPerRound, ms));
  const pm = summarize(P.messages.latency);
  const rm = summarize(R.messages.latency);
  const light = `${cfg.messages.latencyPairs} pairs × ${1000 / cfg.messages.latencyIntervalMs}/s`;
  rows.push(row(`contact message latency p50 (${light})`, pm.p50, rm.p50, ms));
  rows.push(row(`contact message latency p99 (${light})`, pm.p99, rm.p99, ms));
  rows.push(
    row(
      `contact message throughput (${fmt(cfg.messages.tputPairs)} pairs, ${cfg.messages.window} in flight each)`,
      P.messages.throughputPerSec,
      R.messages.throughputPerSec,
      perSec,
    ),
  );
  rows.push(row('server CPU per delivered message', P.messages.serverCpuUsPerMessage, R.messages.serverCpuUsPerMessage, us));
  rows.push(
    row('messages per server CPU-second (1 s ÷ the above)', 1e6 / P.messages.serverCpuUsPerMessage, 1e6 / R.messages.serverCpuUsPerMessage, (v) => fmt(v)),
  );
  const pml = summarize(P.messages.loadedLatency);
  const rml = summarize(R.messages.loadedLatency);
  rows.push(row('message latency at saturation p50', pml.p50, rml.p50, ms));
  rows.push(row('message latency at saturation p99', pml.p99, rml.p99, ms));

  {
    const c = cfg.convMessages;
    const pc = summarize(P.convMessages.latency);
    const rc = summarize(R.convMessages.latency);
    const lightC = `${c.latencyRooms} conversations of ${c.members}, 1 sender × ${1000 / c.latencyIntervalMs}/s each`;
    rows.push(row(`conversation message latency p50 (${lightC})`, pc.p50, rc.p50, ms));
    rows.push(row(`conversation message latency p99 (${lightC})`, pc.p99, rc.p99, ms));
    const heavy = `${fmt(c.rooms)} conversations of ${c.members}, every member ${c.window} in flight`;
    rows.push(row(`conversation message deliveries (${heavy})`, P.convMessages.deliveriesPerSec, R.convMessages.deliveriesPerSec, perSec));
    rows.push(row('conversation messages sent (each delivered to 4)', P.convMessages.messagesPerSec, R.convMessages.messagesPerSec, perSec));
    rows.push(row('server CPU per conversation message delivery', P.convMessages.serverCpuUsPerDelivery, R.convMessages.serverCpuUsPerDelivery, us));
    const pcl = summarize(P.convMessages.loadedLatency);
    const rcl = summarize(R.convMessages.loadedLatency);
    rows.push(row('conversation message latency at saturation p50', pcl.p50, rcl.p50, ms));
    rows.push(row('conversation message latency at saturation p99', pcl.p99, rcl.p99, ms));
  }

  for (const [label, obj] of [
    ['Parley', P],
    ['bare ws', R],
  ]) {
    for (const [phase, r] of Object.entries(obj)) notes.push(...problems(`${label} ${phase}`, r));
  }
  const kMax = cfg.idleKs[cfg.idleKs.length - 1];
  const p10 = P[`idle${kMax}`];
  notes.push(
    `RSS per idle session = (server RSS after K registrations − RSS before) ÷ K, fresh server per K, after ${cfg.warmupSessions} warm-up sessions; ` +
      `total RSS at K=${fmt(kMax)}: Parley ${fmtBytes(p10.rssAfter)} (${fmt(p10.totalPerGiB)} sessions per GiB of total RSS), ${fmt(p10.fds)} open fds.`,
  );
  notes.push(
    `Fan-out: ${n} subscribers of one group, one member publishes user data ${cfg.fanout.rounds} times (after ${cfg.fanout.warmup} warm-up rounds, ${cfg.fanout.gapMs} ms apart); latency = send → each subscriber's receipt, one clock (the load generator).`,
  );
  notes.push(
    `Ratios are Parley ÷ bare ws; for rates and sessions/GiB below 1× means Parley does less, for times and bytes above 1× means Parley costs more. ` +
      `Load generator CPU (fan-out rounds / message throughput): Parley ${fmt(P.fanout.loadgenCpuMs)} / ${fmt(P.messages.loadgenCpuMs)} ms, bare ws ${fmt(R.fanout.loadgenCpuMs)} / ${fmt(R.messages.loadgenCpuMs)} ms.`,
  );
  const bound = (r, wallMs) => r.loadgenCpuMs >= 0.8 * wallMs;
  for (const [label, obj] of [
    ['Parley', P],
    ['bare ws', R],
  ]) {
    const m = obj.messages;
    if (bound(m, m.tputWallMs)) {
      notes.push(
        `${label}: message throughput was limited by the load generator (its CPU ${fmt(m.loadgenCpuMs)} ms over ${fmt(m.tputWallMs)} ms); compare server CPU per message instead.`,
      );
    }
    const c = obj.convMessages;
    if (bound(c, c.tputWallMs)) {
      notes.push(
        `${label}: conversation message throughput was limited by the load generator (its CPU ${fmt(c.loadgenCpuMs)} ms over ${fmt(c.tputWallMs)} ms); compare server CPU per delivery instead.`,
      );
    }
    const idle = obj[`idle${kMax}`];
    if (bound(idle, idle.wallMs)) {
      notes.push(
        `${label}: register rate at K=${fmt(kMax)} was limited by the load generator (its CPU ${fmt(idle.loadgenCpuMs)} ms over ${fmt(idle.wallMs)} ms); compare server CPU per registration instead.`,
      );
    }
  }
  notes.push(`1-minute load average when each phase started: ${loads.join(', ')}.`);
  if (quick) notes.push('--quick run: reduced sizes, not the benchmark issue’s K values.');

  if (profile) {
    const files = existsSync(profileDir) ? readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')) : [];
    if (!files.length) log('! no CPU profile was written (the server must exit through a normal shutdown on SIGTERM)');
    for (const f of files.sort()) {
      log(`\n--- CPU profile of the Parley server, phase ${f.replace('.cpuprofile', '')} (${join(profileDir, f)}) ---`);
      log(formatProfile(summarizeProfiles([join(profileDir, f)]), 25));
    }
    log(`\nProfiles kept in ${profileDir}`);
  } else {
    rmSync(tmp, { recursive: true, force: true });
  }

  return {
    headline: `${Math.round(p10.perGiB)} sessions/GiB`,
    record: !quick && !flags.has('--ref-as-parley'),
    versions: { 'Parley server': serverVersion },
    notes,
    tables: [{ title: 'Parley vs bare ws, same traffic, same run', columns: ['metric', 'Parley', 'bare ws', 'Parley ÷ ws', 'target'], rows }],
  };
}
