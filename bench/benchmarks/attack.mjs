// attack: what one abusive session costs the server when it pushes every per-session resource to
// whatever limit the server enforces (groups, conversations, publications with the largest
// context accepted, PeerConnections), against what an idle registered session costs, both
// measured on the same server process in the same run: RSS, V8 heap (after a full GC) and open
// file descriptors from /proc. The attack does not know the limits: it pushes each resource until
// the server refuses (the limit) or the benchmark's own cap is reached (no limit, as far as the
// cap goes), so the same code follows whatever the configuration says.
//
// Flags: --quick (fewer idle sessions, lower caps). BENCH_ATTACK_CAPS=groups=3000,conversations=800
// overrides caps.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AttackClient } from '../lib/attack-client.mjs';
import { stop, waitForJsonLine } from '../lib/children.mjs';
import { benchDir, repoRoot } from '../lib/machine.mjs';
import { startParley } from '../lib/media-bench.mjs';
import { openFds, rssBytes } from '../lib/proc.mjs';
import { fmt, fmtBytes, fmtRatio } from '../lib/results.mjs';

export const meta = {
  name: 'attack',
  title: 'Cost of one session pushing every per-session limit (groups, conversations, publications, PeerConnections) vs an idle session',
  timeoutMs: 8 * 60_000,
};

/** Caps the attack stops at when the server never refuses (a resource with no limit). */
function config(quick) {
  const caps = quick
    ? { groups: 500, conversations: 100, publications: 100, peerConnections: 30 }
    : { groups: 2000, conversations: 500, publications: 400, peerConnections: 150 };
  for (const part of (process.env.BENCH_ATTACK_CAPS ?? '').split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    if (!(k in caps) || !Number.isInteger(Number(v))) throw new Error(`BENCH_ATTACK_CAPS: bad entry ${part}`);
    caps[k] = Number(v);
  }
  return {
    idleSessions: quick ? 1000 : 4000,
    attackers: quick ? 1 : 2,
    caps,
    // Largest context first; the first size the server accepts is used for every publication.
    contextSizes: [60_000, 48_000, 32_000, 16_000, 8_000, 4_000, 1_000, 100],
    resumeWindowMs: 2000,
  };
}

/** A publisher offer Chromium really sent (recorded with the e2e fuzz corpus): one audio, one video section. */
function recordedOffer() {
  const corpus = JSON.parse(readFileSync(join(repoRoot, 'tests/e2e/fuzz/corpus.json'), 'utf8'));
  const offer = corpus.frames.map((f) => f.frame).find((f) => f.type === 'media.publisherOffer');
  if (!offer) throw new Error('tests/e2e/fuzz/corpus.json has no media.publisherOffer');
  return offer.sdp;
}

/** Threads of a process (libdatachannel runs threads per PeerConnection). */
function threads(pid) {
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  } catch {
    return NaN;
  }
}

/** Heap after a full GC (through heap-probe.mjs), then RSS once it stops moving, fds and threads. */
async function measure(server) {
  const line = waitForJsonLine(server.child, (v) => v && typeof v.heapProbe === 'object', 15_000);
  server.child.kill('SIGUSR2');
  const { heapProbe } = await line;
  let rss = rssBytes(server.pid);
  for (let i = 0; i < 12; i++) {
    await sleep(250);
    const cur = rssBytes(server.pid);
    if (Math.abs(cur - rss) <= rss * 0.005) break;
    rss = cur;
  }
  return { rss, heap: heapProbe.heapUsed, external: heapProbe.external + heapProbe.arrayBuffers, fds: openFds(server.pid), threads: threads(server.pid) };
}

const delta = (a, b, n) => ({
  rss: (b.rss - a.rss) / n,
  heap: (b.heap - a.heap) / n,
  external: (b.external - a.external) / n,
  fds: (b.fds - a.fds) / n,
  threads: (b.threads - a.threads) / n,
});

/** Sends `make(i)` for i < n, `batch` in flight, until the first refusal; counts the accepted ones. */
async function pushUntilRefused(n, make, batch) {
  let accepted = 0;
  let refusal = null;
  for (let i = 0; i < n && !refusal; i += batch) {
    const answers = await Promise.all(Array.from({ length: Math.min(batch, n - i) }, (_, j) => make(i + j)));
    for (const a of answers) {
      if (a.ok) accepted++;
      else refusal ??= a.error;
    }
  }
  return { accepted, refusal };
}

/** One attacking session: registers, then pushes each resource to the server's limit or the cap. */
async function attack(url, tag, cfg, sdp) {
  const c = await AttackClient.open(url);
  await c.register({ groups: [], subscribeTo: [] });
  const out = {};
  out.groups = await pushUntilRefused(cfg.caps.groups, (i) => c.request({ type: 'group.join', group: `${tag}-g${i}` }), 50);
  out.conversations = await pushUntilRefused(
    cfg.caps.conversations,
    (i) => c.request({ type: 'conv.join', conversation: `${tag}-c${i}`, meshModeEnabled: false, meshOnlyEnabled: false }),
    20,
  );
  const room = `${tag}-c0`;
  let contextBytes = 0;
  let first = null;
  for (const size of cfg.contextSizes) {
    first = await c.request({
      type: 'conv.publish',
      conversation: room,
      streamId: 1,
      msid: `${tag}-m1`,
      hasAudio: true,
      hasVideo: true,
      isAudioMuted: false,
      isVideoMuted: false,
      isScreensharing: false,
      context: { pad: 'x'.repeat(size) },
    });
    if (first.ok) {
      contextBytes = size;
      break;
    }
  }
  out.contextBytes = contextBytes;
  out.contextRefusal = contextBytes === cfg.contextSizes[0] ? null : first?.error;
  const pad = 'x'.repeat(contextBytes);
  const more =
    contextBytes > 0
      ? await pushUntilRefused(
          cfg.caps.publications - 1,
          (i) =>
            c.request({
              type: 'conv.publish',
              conversation: room,
              streamId: i + 2,
              msid: `${tag}-m${i + 2}`,
              hasAudio: true,
              hasVideo: true,
              isAudioMuted: false,
              isVideoMuted: false,
              isScreensharing: false,
              context: { pad },
            }),
          20,
        )
      : { accepted: 0, refusal: first?.error };
  out.publications = { accepted: more.accepted + (contextBytes > 0 ? 1 : 0), refusal: more.refusal };
  // One publisher PeerConnection per joined conversation (the SDK's shape): offers in each of them.
  const pcRooms = Math.min(cfg.caps.peerConnections, out.conversations.accepted);
  out.peerConnections = await pushUntilRefused(pcRooms, (i) => c.request({ type: 'media.publisherOffer', conversation: `${tag}-c${i}`, sdp }, 60_000), 5);
  out.peerConnections.boundedByConversations = pcRooms < cfg.caps.peerConnections && !out.peerConnections.refusal;
  return { client: c, result: out };
}

function stoppedBy(r, cap) {
  if (r.refusal) return `refused: code ${r.refusal.code} ${r.refusal.message}`;
  if (r.boundedByConversations) return 'all conversations joined had one (no refusal)';
  return r.accepted >= cap ? `benchmark cap ${fmt(cap)} (never refused)` : 'stopped early';
}

export async function run({ flags, log }) {
  const quick = flags.has('--quick');
  const cfg = config(quick);
  const sdp = recordedOffer();
  const tmp = mkdtempSync(join(tmpdir(), 'parley-bench-attack-'));
  // The per-connection rate limit only slows the attack down (it bounds requests per second, not
  // what a session holds), so it is raised to keep the run short; every other limit is the default.
  const server = await startParley({
    tmp,
    tag: 'attack',
    nodeArgs: ['--expose-gc', '--import', join(benchDir, 'lib/heap-probe.mjs')],
    env: { PARLEY_RATE_LIMIT_BURST: '1000000', PARLEY_RATE_LIMIT_PER_SECOND: '1000000', PARLEY_RESUME_WINDOW_MS: String(cfg.resumeWindowMs) },
  });
  const idle = [];
  const attackers = [];
  try {
    // Warm-up: every code path an idle session uses, loaded before the baseline.
    for (let i = 0; i < 10; i++) {
      const c = await AttackClient.open(server.url);
      await c.register({ groups: [], subscribeTo: [] });
      c.close();
    }
    await sleep(cfg.resumeWindowMs + 1000);
    const m0 = await measure(server);
    log(`• ${cfg.idleSessions} idle registered sessions…`);
    for (let i = 0; i < cfg.idleSessions; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, cfg.idleSessions - i) }, async () => {
          const c = await AttackClient.open(server.url);
          await c.register({ groups: [], subscribeTo: [] });
          return c;
        }),
      );
      idle.push(...batch);
    }
    const m1 = await measure(server);
    log(`• ${cfg.attackers} attacking session(s), caps ${JSON.stringify(cfg.caps)}…`);
    const t0 = Date.now();
    const results = await Promise.all(Array.from({ length: cfg.attackers }, (_, k) => attack(server.url, `a${k}`, cfg, sdp)));
    const attackMs = Date.now() - t0;
    attackers.push(...results.map((r) => r.client));
    const alive = server.child.exitCode === null && server.child.signalCode === null;
    if (!alive) throw new Error(`the server exited during the attack (${server.child.exitCode ?? server.child.signalCode})`);
    const m2 = await measure(server);
    // Leaving: unregister frees everything at once; what does not come back is a leak.
    await Promise.all(attackers.map((c) => c.request({ type: 'unregister' }, 10_000)));
    await sleep(cfg.resumeWindowMs + 2000);
    const m3 = await measure(server);

    const perIdle = delta(m0, m1, cfg.idleSessions);
    const perAttacker = delta(m1, m2, cfg.attackers);
    const left = delta(m1, m3, cfg.attackers);
    const r0 = results[0].result;
    const row = (label, key, f) => [label, f(perIdle[key]), f(perAttacker[key]), fmtRatio(perAttacker[key] / perIdle[key]), f(left[key])];
    const tables = [
      {
        title: `Per session: ${fmt(cfg.idleSessions)} idle sessions vs ${cfg.attackers} attacking session(s), same server`,
        columns: ['figure', 'idle session', 'attacking session', 'attacking ÷ idle', 'attacker after unregister'],
        rows: [
          row('RSS', 'rss', fmtBytes),
          row('V8 heap used (after full GC)', 'heap', fmtBytes),
          row('external + array buffers', 'external', fmtBytes),
          row('open file descriptors', 'fds', (v) => fmt(v, 2)),
          row('threads', 'threads', (v) => fmt(v, 2)),
        ],
      },
      {
        title: 'How far one attacking session got (the first attacker; limits are the configured defaults)',
        columns: ['resource', 'accepted', 'stopped by'],
        rows: [
          ['presence groups joined', fmt(r0.groups.accepted), stoppedBy(r0.groups, cfg.caps.groups)],
          ['conversations joined', fmt(r0.conversations.accepted), stoppedBy(r0.conversations, cfg.caps.conversations)],
          [
            'largest publication context accepted',
            fmtBytes(r0.contextBytes),
            r0.contextRefusal
              ? `larger refused: code ${r0.contextRefusal.code} ${r0.contextRefusal.message}`
              : `largest size tried (${fmtBytes(cfg.contextSizes[0])})`,
          ],
          ['publications in one conversation', fmt(r0.publications.accepted), stoppedBy(r0.publications, cfg.caps.publications)],
          ['publisher PeerConnections', fmt(r0.peerConnections.accepted), stoppedBy(r0.peerConnections, cfg.caps.peerConnections)],
        ],
      },
    ];
    const ratio = perAttacker.rss / perIdle.rss;
    return {
      headline: `${fmt(ratio, 0)}× the RSS of an idle session`,
      tables,
      notes: [
        `Built server with default limits except the per-connection rate limit (raised: it slows an attack down but bounds nothing a session holds) and a ${cfg.resumeWindowMs} ms resume window; \`--expose-gc\` and bench/lib/heap-probe.mjs preloaded so the heap is read after a full GC (SIGUSR2).`,
        `Measured on one process: baseline after 10 warm-up sessions, then +${fmt(cfg.idleSessions)} idle registered sessions (no groups), then +${cfg.attackers} attacking session(s) (${(attackMs / 1000).toFixed(1)} s), then the attackers unregister (last column: what remains per attacker ${cfg.resumeWindowMs + 2000} ms later).`,
        `Attack: group.join of new groups, conv.join of new conversations, conv.publish in one conversation with the largest context the server accepts (tried ${cfg.contextSizes.map((s) => fmtBytes(s)).join(', ')}), media.publisherOffer (a recorded Chromium offer, audio + video) in each joined conversation; each resource until the first refusal or the cap ${JSON.stringify(cfg.caps)}.`,
        `Server totals: RSS ${fmtBytes(m0.rss)} → ${fmtBytes(m1.rss)} (idle) → ${fmtBytes(m2.rss)} (attack) → ${fmtBytes(m3.rss)} (after); fds ${m0.fds} → ${m1.fds} → ${m2.fds} → ${m3.fds}; threads ${m0.threads} → ${m1.threads} → ${m2.threads} → ${m3.threads}.`,
        ...(quick ? [`--quick: ${fmt(cfg.idleSessions)} idle sessions, 1 attacker, caps lowered.`] : []),
      ],
      versions: { 'Parley server': server.version },
    };
  } finally {
    for (const c of [...idle, ...attackers]) c.close();
    await stop(server.child, { signal: 'SIGTERM', graceMs: 10_000 });
  }
}
