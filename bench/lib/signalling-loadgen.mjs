// Load generator of the signalling benchmark. Runs as its own process (spawned by
// bench/benchmarks/signalling.mjs with an IPC channel) so its CPU never counts as the server's.
// It opens WebSocket clients that speak Parley's wire protocol (docs/protocol.md); the reference
// server (reference-ws-server.mjs) accepts the same frames, so both get identical traffic.
//
// Commands (IPC, {cmd, rid, ...}): idle, closeAll, fanout, messages, convMessages, exit. Each answers
// {rid, ok, result} or {rid, ok: false, error}. Latencies use this process's monotonic clock:
// send time and receipt time are both taken here.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { treeCpuMs } from './proc.mjs';

const API_KEY = 'myDemoApiKey';
const now = () => performance.now();

class Client {
  constructor(url, stats) {
    this.url = url;
    this.stats = stats;
    this.nextId = 1;
    this.pending = new Map();
    this.onEvent = null;
    this.userId = null;
    this.closedOnPurpose = false;
  }

  open(timeoutMs = 15000) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, { handshakeTimeout: timeoutMs });
      this.ws = ws;
      ws.once('open', resolve);
      ws.on('error', (err) => {
        this.stats.socketErrors.set(err.code ?? err.message, (this.stats.socketErrors.get(err.code ?? err.message) ?? 0) + 1);
        reject(err);
      });
      ws.on('message', (data) => this.receive(data));
      ws.on('close', (code) => {
        for (const p of this.pending.values()) p.reject(new Error(`socket closed (${code}) before the answer`));
        this.pending.clear();
        if (!this.closedOnPurpose) this.stats.unexpectedCloses.set(code, (this.stats.unexpectedCloses.get(code) ?? 0) + 1);
        reject(new Error(`socket closed (${code}) while opening`));
      });
    });
  }

  receive(data) {
    const msg = JSON.parse(data);
    if (msg.type === 'answer') {
      const p = this.pending.get(msg.re);
      if (!p) return;
      this.pending.delete(msg.re);
      if (!msg.ok) {
        const key = `${msg.error?.code} ${msg.error?.message}`;
        this.stats.errorAnswers.set(key, (this.stats.errorAnswers.get(key) ?? 0) + 1);
      }
      p.resolve(msg);
    } else if (msg.type === 'protocolError') {
      const key = `protocolError ${msg.error?.message}`;
      this.stats.errorAnswers.set(key, (this.stats.errorAnswers.get(key) ?? 0) + 1);
    } else if (this.onEvent) {
      this.onEvent(msg);
    }
  }

  request(body) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ ...body, id }));
    });
  }

  async register(userId, { groups = [], subscribeTo = [], userData = {} } = {}) {
    const answer = await this.request({ type: 'register', apiKey: API_KEY, userId, groups, subscribeTo, userData });
    if (!answer.ok) throw new Error(`register ${userId} refused: ${answer.error?.code} ${answer.error?.message}`);
    this.userId = answer.data?.userId ?? userId;
    return answer;
  }

  close() {
    this.closedOnPurpose = true;
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 5000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close(1000);
    });
  }
}

function newStats() {
  return { errorAnswers: new Map(), unexpectedCloses: new Map(), socketErrors: new Map() };
}
function statsReport(stats) {
  return {
    errorAnswers: Object.fromEntries(stats.errorAnswers),
    unexpectedCloses: Object.fromEntries(stats.unexpectedCloses),
    socketErrors: Object.fromEntries(stats.socketErrors),
  };
}

/** Runs task(i) for i in [0, n) with at most `concurrency` running; collects failures. */
async function pool(n, concurrency, task) {
  let next = 0;
  const failures = [];
  async function worker() {
    while (next < n) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        failures.push(err.message);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
  return failures;
}

/** Opens and registers `n` clients named `${prefix}${i}`; returns the clients and timings. */
async function openMany(url, n, prefix, concurrency, stats, registerOptions = () => ({})) {
  const clients = new Array(n);
  const t0 = now();
  const failures = await pool(n, concurrency, async (i) => {
    const c = new Client(url, stats);
    clients[i] = c;
    await c.open();
    await c.register(`${prefix}${i}`, registerOptions(i));
  });
  const wallMs = now() - t0;
  return { clients: clients.filter((c) => c?.userId), wallMs, failures };
}

async function closeMany(clients) {
  await pool(clients.length, 500, (i) => clients[i].close());
}

/** Resolves when `predicate()` is true (checked every 2 ms), or after `timeoutMs` (false). */
async function until(predicate, timeoutMs) {
  const deadline = now() + timeoutMs;
  while (!predicate()) {
    if (now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

/**
 * A throughput burst: each of `senders` sends `count` messages with `window` in flight
 * (`send(sender)` resolves with the answer), then waits for `expected` receipts. Receipts are
 * latencies pushed by the caller's listener into the returned `latencies`, through `onReceipt`.
 * Returns the latencies, the wall time from the first send to the last receipt, and the CPU the
 * server and this process used meanwhile.
 */
async function burst({ senders, count, window, send, expected, timeoutMs, serverPid, listen }) {
  const latencies = [];
  let lastReceiptAt = 0;
  listen((ms) => {
    latencies.push(ms);
    lastReceiptAt = now();
  });
  await sleep(200);
  const cpu0 = treeCpuMs(serverPid);
  const own0 = process.cpuUsage();
  const t0 = now();
  await Promise.all(
    senders.map((sender) =>
      Promise.all(
        Array.from({ length: window }, async (_, w) => {
          for (let m = w; m < count; m += window) await send(sender);
        }),
      ),
    ),
  );
  await until(() => latencies.length >= expected, timeoutMs);
  const own = process.cpuUsage(own0);
  return {
    latencies,
    missing: expected - latencies.length,
    wallMs: lastReceiptAt - t0,
    serverCpuMs: treeCpuMs(serverPid) - cpu0,
    loadgenCpuMs: (own.user + own.system) / 1000,
  };
}

let idleClients = [];
let idleStats = newStats();

const commands = {
  /** K registered clients (joining `groups`) that then stay idle (kept open until closeAll). */
  async idle({ url, k, concurrency, prefix, serverPid, groups = [] }) {
    idleStats = newStats();
    const cpu0 = treeCpuMs(serverPid);
    const own0 = process.cpuUsage();
    const { clients, wallMs, failures } = await openMany(url, k, prefix, concurrency, idleStats, () => ({ groups }));
    const serverCpuMs = treeCpuMs(serverPid) - cpu0;
    const own = process.cpuUsage(own0);
    idleClients.push(...clients);
    return {
      k,
      registered: clients.length,
      failed: failures.length,
      firstFailures: [...new Set(failures)].slice(0, 3),
      wallMs,
      ratePerSec: (clients.length / wallMs) * 1000,
      serverCpuMs,
      loadgenCpuMs: (own.user + own.system) / 1000,
      ...statsReport(idleStats),
    };
  },

  async closeAll() {
    const n = idleClients.length;
    const open = idleClients.filter((c) => c.ws.readyState === WebSocket.OPEN).length;
    await closeMany(idleClients);
    idleClients = [];
    return { closed: n, stillOpenBeforeClose: open, ...statsReport(idleStats) };
  },

  /**
   * Presence fan-out: `subscribers` clients subscribe to one group, one publisher joins it and
   * publishes user data `warmup + rounds` times; latency = publisher's send → each subscriber's
   * receipt of the userDataChanged entry for that round.
   */
  async fanout({ url, subscribers, rounds, warmup, gapMs, roundTimeoutMs, concurrency, prefix, serverPid }) {
    const stats = newStats();
    const group = `${prefix}group`;
    const publisherId = `${prefix}publisher`;
    const sent = [];
    const received = [];
    const latencies = [];
    const lastReceipt = [];
    let joinsSeen = 0;
    const onEvent = (msg) => {
      if (msg.type !== 'presence') return;
      const t = now();
      if (msg.joinedGroup?.[group]?.some((c) => c.id === publisherId)) joinsSeen++;
      for (const c of msg.userDataChanged ?? []) {
        if (c.id !== publisherId) continue;
        const r = c.userData?.round;
        if (!(r >= 0) || sent[r] === undefined) continue;
        received[r]++;
        if (r >= warmup) latencies.push(t - sent[r]);
        lastReceipt[r] = t - sent[r];
      }
    };
    const subs = await openMany(url, subscribers, `${prefix}sub`, concurrency, stats, () => ({ subscribeTo: [group] }));
    for (const c of subs.clients) c.onEvent = onEvent;
    const publisher = new Client(url, stats);
    await publisher.open();
    await publisher.register(publisherId, { groups: [group], userData: { round: -1, nickname: 'publisher' } });
    const joinedAll = await until(() => joinsSeen >= subs.clients.length, 10000);
    await sleep(200);

    const cpu0 = treeCpuMs(serverPid);
    const own0 = process.cpuUsage();
    const answerRtt = [];
    let missing = 0;
    const t0 = now();
    for (let r = 0; r < warmup + rounds; r++) {
      received[r] = 0;
      sent[r] = now();
      const answer = await publisher.request({ type: 'userData.set', userData: { round: r, nickname: 'publisher', status: 'online' } });
      answerRtt.push(now() - sent[r]);
      if (!answer.ok) throw new Error(`userData.set refused: ${answer.error?.code} ${answer.error?.message}`);
      if (!(await until(() => received[r] >= subs.clients.length, roundTimeoutMs))) missing += subs.clients.length - received[r];
      await sleep(gapMs);
    }
    const roundsWallMs = now() - t0;
    const serverCpuMs = treeCpuMs(serverPid) - cpu0;
    const own = process.cpuUsage(own0);
    await closeMany([publisher, ...subs.clients]);
    return {
      subscribers: subs.clients.length,
      registerFailures: subs.failures.length,
      firstFailures: [...new Set(subs.failures)].slice(0, 3),
      joinedAll,
      rounds,
      warmup,
      latencies,
      lastReceipt: lastReceipt.slice(warmup),
      answerRtt: answerRtt.slice(warmup),
      missing,
      roundsWallMs,
      serverCpuMs,
      serverCpuMsPerRound: serverCpuMs / (warmup + rounds),
      loadgenCpuMs: (own.user + own.system) / 1000,
      ...statsReport(stats),
    };
  },

  /**
   * Contact messages between pairs A_i → B_i (`contact.send`, kind `message`).
   * Latency phase: `latencyPairs` senders pace `latencyMessages` each every `latencyIntervalMs`
   * (below the server's per-connection rate limit). Throughput phase: `tputPairs` senders send
   * `tputMessages` each with `window` requests in flight; throughput = messages received ÷ time
   * from the first send to the last receipt.
   */
  async messages({ url, latencyPairs, latencyMessages, latencyIntervalMs, tputPairs, tputMessages, window, concurrency, prefix, serverPid, timeoutMs }) {
    const stats = newStats();
    const pad = 'x'.repeat(80);

    async function pairs(n, tag) {
      const senders = await openMany(url, n, `${prefix}${tag}a`, concurrency, stats);
      const receivers = await openMany(url, n, `${prefix}${tag}b`, concurrency, stats);
      if (senders.clients.length !== n || receivers.clients.length !== n) {
        throw new Error(`could not register ${n} pairs: ${[...senders.failures, ...receivers.failures].slice(0, 3).join('; ')}`);
      }
      return { senders: senders.clients, receivers: receivers.clients, setupMs: senders.wallMs + receivers.wallMs };
    }

    function listen(receivers, onReceipt) {
      for (const b of receivers) {
        b.onEvent = (msg) => {
          if (msg.type !== 'contact.message') return;
          onReceipt(now() - Number(msg.content.slice(0, msg.content.indexOf('|'))));
        };
      }
    }
    const send = (a, b) => a.request({ type: 'contact.send', to: b.userId, kind: 'message', content: `${now().toFixed(3)}|${pad}` });

    // Latency at light load.
    const lat = await pairs(latencyPairs, 'l');
    const latency = [];
    const latencyRtt = [];
    listen(lat.receivers, (ms) => latency.push(ms));
    await Promise.all(
      lat.senders.map(async (a, i) => {
        const answers = [];
        await sleep((latencyIntervalMs * i) / latencyPairs); // spread the senders over one interval
        for (let m = 0; m < latencyMessages; m++) {
          const t = now();
          answers.push(send(a, lat.receivers[i]).then(() => latencyRtt.push(now() - t)));
          await sleep(latencyIntervalMs);
        }
        await Promise.all(answers);
      }),
    );
    const latencyExpected = latencyPairs * latencyMessages;
    await until(() => latency.length >= latencyExpected, 5000);
    const latencyMissing = latencyExpected - latency.length;
    await closeMany([...lat.senders, ...lat.receivers]);

    // Throughput.
    const tp = await pairs(tputPairs, 't');
    const b = await burst({
      senders: tp.senders.map((a, i) => [a, tp.receivers[i]]),
      count: tputMessages,
      window,
      send: ([a, to]) => send(a, to),
      expected: tputPairs * tputMessages,
      timeoutMs,
      serverPid,
      listen: (onReceipt) => listen(tp.receivers, onReceipt),
    });
    await closeMany([...tp.senders, ...tp.receivers]);

    return {
      latencyPairs,
      latencyMessages,
      latency,
      latencyRtt,
      latencyMissing,
      tputPairs,
      tputMessages,
      window,
      delivered: b.latencies.length,
      tputMissing: b.missing,
      tputWallMs: b.wallMs,
      throughputPerSec: (b.latencies.length / b.wallMs) * 1000,
      loadedLatency: b.latencies,
      serverCpuMs: b.serverCpuMs,
      serverCpuUsPerMessage: (b.serverCpuMs * 1000) / Math.max(1, b.latencies.length),
      loadgenCpuMs: b.loadgenCpuMs,
      ...statsReport(stats),
    };
  },

  /**
   * Conversation messages (`conv.message`, broadcast to the other members of a conversation).
   * Latency phase: `latencyRooms` conversations of `members`; in each, one member sends
   * `latencyMessages` every `latencyIntervalMs`; latency = send → each other member's receipt.
   * Throughput phase: `rooms` conversations of `members`, every member sends `tputMessages` with
   * `window` in flight; throughput = deliveries ÷ time from the first send to the last receipt.
   */
  async convMessages({
    url,
    members,
    latencyRooms,
    latencyMessages,
    latencyIntervalMs,
    rooms,
    tputMessages,
    window,
    concurrency,
    prefix,
    serverPid,
    timeoutMs,
  }) {
    const stats = newStats();
    const pad = 'x'.repeat(80);

    /** `n` conversations of `members` registered clients each, all joined. */
    async function conversations(n, tag) {
      const opened = await openMany(url, n * members, `${prefix}${tag}`, concurrency, stats);
      if (opened.clients.length !== n * members) throw new Error(`could not register ${n * members} members: ${opened.failures.slice(0, 3).join('; ')}`);
      const groups = Array.from({ length: n }, (_, r) => opened.clients.slice(r * members, (r + 1) * members));
      const failures = await pool(opened.clients.length, concurrency, async (i) => {
        const answer = await opened.clients[i].request({
          type: 'conv.join',
          conversation: `${prefix}${tag}-room${Math.floor(i / members)}`,
          meshModeEnabled: false,
          meshOnlyEnabled: false,
        });
        if (!answer.ok) throw new Error(`conv.join refused: ${answer.error?.code} ${answer.error?.message}`);
      });
      if (failures.length) throw new Error(`${failures.length} joins failed: ${failures.slice(0, 3).join('; ')}`);
      await sleep(200); // let the join presence settle before measuring
      return groups.map((clients, r) => ({ name: `${prefix}${tag}-room${r}`, clients }));
    }

    function listen(convs, onReceipt) {
      for (const { clients } of convs) {
        for (const c of clients) {
          c.onEvent = (msg) => {
            if (msg.type !== 'conv.message') return;
            onReceipt(now() - Number(msg.content.slice(0, msg.content.indexOf('|'))));
          };
        }
      }
    }
    const send = (c, conversation) => c.request({ type: 'conv.message', conversation, content: `${now().toFixed(3)}|${pad}` });

    // Latency at light load.
    const lat = await conversations(latencyRooms, 'l');
    const latency = [];
    listen(lat, (ms) => latency.push(ms));
    await Promise.all(
      lat.map(async ({ name, clients }, r) => {
        await sleep((latencyIntervalMs * r) / latencyRooms); // spread the senders over one interval
        const answers = [];
        for (let m = 0; m < latencyMessages; m++) {
          answers.push(send(clients[0], name));
          await sleep(latencyIntervalMs);
        }
        await Promise.all(answers);
      }),
    );
    const latencyExpected = latencyRooms * latencyMessages * (members - 1);
    await until(() => latency.length >= latencyExpected, 5000);
    const latencyMissing = latencyExpected - latency.length;
    await closeMany(lat.flatMap((c) => c.clients));

    // Throughput.
    const tp = await conversations(rooms, 't');
    const b = await burst({
      senders: tp.flatMap(({ name, clients }) => clients.map((c) => [c, name])),
      count: tputMessages,
      window,
      send: ([c, name]) => send(c, name),
      expected: rooms * members * tputMessages * (members - 1),
      timeoutMs,
      serverPid,
      listen: (onReceipt) => listen(tp, onReceipt),
    });
    await closeMany(tp.flatMap((c) => c.clients));

    return {
      latency,
      latencyMissing,
      delivered: b.latencies.length,
      tputMissing: b.missing,
      tputWallMs: b.wallMs,
      deliveriesPerSec: (b.latencies.length / b.wallMs) * 1000,
      messagesPerSec: (b.latencies.length / (members - 1) / b.wallMs) * 1000,
      loadedLatency: b.latencies,
      serverCpuMs: b.serverCpuMs,
      serverCpuUsPerDelivery: (b.serverCpuMs * 1000) / Math.max(1, b.latencies.length),
      loadgenCpuMs: b.loadgenCpuMs,
      ...statsReport(stats),
    };
  },

  async exit() {
    setImmediate(() => process.exit(0));
    return {};
  },
};

process.on('message', async (msg) => {
  try {
    const result = await commands[msg.cmd](msg);
    process.send({ rid: msg.rid, ok: true, result });
  } catch (err) {
    process.send({ rid: msg.rid, ok: false, error: err.stack ?? String(err) });
  }
});
process.on('disconnect', () => process.exit(0));
