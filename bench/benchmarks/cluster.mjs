// cluster: the cost of Redis (issue 16 part 2). The same traffic against one Parley node, then
// against two nodes sharing a redis-server (Debian's, on a free loopback port), where the traffic
// crosses nodes: presence fan-out with every watcher on node B and the user who joins and leaves on
// node A; contact messages from senders on node A to receivers on node B. Servers are the built
// server (child processes); the load client is this process (one core of the two).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freePort, stop } from '../lib/children.mjs';
import { startParley } from '../lib/media-bench.mjs';
import { loadAverage } from '../lib/machine.mjs';
import { fmt, fmtRatio } from '../lib/results.mjs';
import { ratio, summarize } from '../lib/stats.mjs';

export const meta = {
  name: 'cluster',
  title: 'Cluster: presence fan-out latency and contact-message throughput across two nodes on Redis vs one node',
  timeoutMs: 6 * 60_000,
};

/** A minimal signalling client: requests answered by id, events to listeners. */
class Client {
  static async open(url) {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new Client(ws);
  }
  constructor(ws) {
    this.ws = ws;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.type === 'answer') {
        this.pending.get(msg.re)?.(msg);
        this.pending.delete(msg.re);
      } else for (const l of this.listeners) l(msg);
    });
  }
  request(body) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ ...body, id }));
    });
  }
  async register(userId, extra = {}) {
    const a = await this.request({ type: 'register', apiKey: 'myDemoApiKey', userId, groups: [], subscribeTo: [], userData: {}, ...extra });
    if (!a.ok) throw new Error(`register ${userId}: ${JSON.stringify(a.error)}`);
  }
  close() {
    this.ws.terminate();
  }
}

async function startRedis(tmp) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmp, 'redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const s = new WebSocket(`ws://127.0.0.1:${port}`); // any TCP connect will do; Redis drops it
      s.on('error', (e) => resolve(e.code !== 'ECONNREFUSED'));
      s.on('open', () => resolve(true));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url: `redis://127.0.0.1:${port}` };
}

/** One user joins and leaves group `g` `rounds` times; latency = join sent → last watcher saw it. */
async function fanout(moverUrl, watcherUrl, { watchers, rounds, tag }) {
  const clients = [];
  const seen = { count: 0, resolve: null };
  const gone = { count: 0, resolve: null };
  for (let i = 0; i < watchers; i++) {
    const c = await Client.open(watcherUrl);
    await c.register(`${tag}-w${i}`, { subscribeTo: ['g'] });
    c.listeners.add((e) => {
      if (e.type !== 'presence') return;
      if (e.joinedGroup?.g?.some?.((m) => m.id === `${tag}-mover`) && ++seen.count === watchers) seen.resolve?.();
      if (e.leftGroup?.g?.includes?.(`${tag}-mover`) && ++gone.count === watchers) gone.resolve?.();
    });
    clients.push(c);
  }
  const mover = await Client.open(moverUrl);
  await mover.register(`${tag}-mover`);
  clients.push(mover);
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    seen.count = 0;
    const done = new Promise((resolve) => (seen.resolve = resolve));
    const t0 = performance.now();
    await mover.request({ type: 'group.join', group: 'g' });
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error('fan-out round timed out')), 10_000))]);
    samples.push(performance.now() - t0);
    // Every watcher sees the leave before the next join: a leave and a join reaching a node in the
    // same presence tick cancel out (by design), which would leave the next round without events.
    gone.count = 0;
    const left = new Promise((resolve) => (gone.resolve = resolve));
    await mover.request({ type: 'group.leave', group: 'g' });
    await Promise.race([left, new Promise((_, reject) => setTimeout(() => reject(new Error('leave round timed out')), 10_000))]);
  }
  for (const c of clients) c.close();
  return summarize(samples.slice(2));
}

/** `pairs` senders each send `messages` contact messages (window 10) to their receiver. */
async function contactThroughput(senderUrl, receiverUrl, { pairs, messages, tag }) {
  const senders = [];
  const receivers = [];
  let received = 0;
  let allDone;
  const finished = new Promise((resolve) => (allDone = resolve));
  for (let i = 0; i < pairs; i++) {
    const r = await Client.open(receiverUrl);
    await r.register(`${tag}-r${i}`);
    r.listeners.add((e) => {
      if (e.type === 'contact.data' && ++received === pairs * messages) allDone();
    });
    receivers.push(r);
    const s = await Client.open(senderUrl);
    await s.register(`${tag}-s${i}`);
    senders.push(s);
  }
  const t0 = performance.now();
  await Promise.all(
    senders.map(async (s, i) => {
      let sent = 0;
      const window = [];
      while (sent < messages) {
        window.push(s.request({ type: 'contact.send', to: `${tag}-r${i}`, kind: 'data', content: { n: sent } }));
        sent++;
        if (window.length >= 10) await window.shift();
      }
      await Promise.all(window);
    }),
  );
  await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${received} of ${pairs * messages} delivered`)), 60_000))]);
  const seconds = (performance.now() - t0) / 1000;
  for (const c of [...senders, ...receivers]) c.close();
  return { perSecond: (pairs * messages) / seconds };
}

export async function run({ flags }) {
  const quick = flags.has('--quick');
  const cfg = { watchers: quick ? 50 : 200, rounds: quick ? 8 : 40, pairs: quick ? 10 : 50, messages: quick ? 20 : 60 };
  const tmp = mkdtempSync(join(tmpdir(), 'parley-bench-cluster-'));
  const results = {};
  try {
    // One node.
    {
      const a = await startParley({ tmp, tag: 'single' });
      try {
        results.single = {
          fanout: await fanout(a.url, a.url, { ...cfg, tag: 'sf' }),
          contact: await contactThroughput(a.url, a.url, { ...cfg, tag: 'sc' }),
        };
      } finally {
        await stop(a.child);
      }
    }
    // Two nodes on Redis, traffic across them.
    const redis = await startRedis(tmp);
    try {
      const env = (id) => ({ PARLEY_REDIS_URL: redis.url, PARLEY_NODE_ID: id });
      const a = await startParley({ tmp, tag: 'node-a', env: env('a') });
      const b = await startParley({ tmp, tag: 'node-b', env: env('b') });
      try {
        results.cluster = {
          fanout: await fanout(a.url, b.url, { ...cfg, tag: 'cf' }),
          contact: await contactThroughput(a.url, b.url, { ...cfg, tag: 'cc' }),
        };
      } finally {
        await stop(a.child);
        await stop(b.child);
      }
    } finally {
      await stop(redis.child);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const { single, cluster } = results;
  const fanoutRatio = ratio(cluster.fanout.p50, single.fanout.p50);
  const tputRatio = ratio(cluster.contact.perSecond, single.contact.perSecond);
  const ms = (v) => fmt(v, 1);
  return {
    tables: [
      {
        title: `Presence fan-out (one user joins a group watched by ${cfg.watchers}; ms until the last watcher has it, ${cfg.rounds - 2} rounds) and contact messages (${cfg.pairs} pairs × ${cfg.messages}, window 10)`,
        columns: ['setup', 'fan-out p50', 'p90', 'max', 'contact msg/s'],
        rows: [
          ['one node', ms(single.fanout.p50), ms(single.fanout.p90), ms(single.fanout.max), fmt(single.contact.perSecond)],
          ['two nodes on Redis, across', ms(cluster.fanout.p50), ms(cluster.fanout.p90), ms(cluster.fanout.max), fmt(cluster.contact.perSecond)],
          ['ratio (two ÷ one)', fmtRatio(fanoutRatio), fmtRatio(ratio(cluster.fanout.p90, single.fanout.p90)), '', fmtRatio(tputRatio)],
        ],
      },
    ],
    notes: [
      'Load client in the bench process; the servers and redis-server are child processes on the same 2 cores, so the cluster run has one more process (and Redis) competing for them.',
      `Load average at the end: ${loadAverage()}.`,
    ],
    headline: `fan-out p50 ${fmtRatio(fanoutRatio)} of one node, contact throughput ${fmtRatio(tputRatio)} of one node`,
  };
}
