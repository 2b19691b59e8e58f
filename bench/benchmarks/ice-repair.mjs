// ice-repair: CPU the ICE check repair port (packages/server/src/ice/) spends per Mbit/s it
// forwards, against the least a Node UDP relay can do for the same packets (lib/ice-repair-relay.mjs
// `bare`), both measured in the same run, in both directions (client → SFU as a publisher's media,
// SFU → client as a subscriber's). Only clients on TURN/TCP or TLS send media through the port.
import { createHmac } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import { spawnNode, stop, waitForJsonLine } from '../lib/children.mjs';
import { repoRoot } from '../lib/machine.mjs';
import { cpuMs } from '../lib/proc.mjs';
import { fmt, fmtRatio } from '../lib/results.mjs';
import { ratio } from '../lib/stats.mjs';

export const meta = {
  name: 'ice-repair',
  title: 'ICE check repair port: CPU per forwarded Mbit/s ÷ a bare Node UDP relay',
  timeoutMs: 5 * 60_000,
};

const UFRAG = 'benchU';
const PWD = 'bench-password-0123456789ab';
const PACKET = 1200; // bytes of UDP payload, a full-size RTP packet
const TICK_MS = 10;

/** A Binding request with a zero ICE-CONTROLLING, signed with PWD (HMAC-SHA1) and fingerprinted. */
function bindingRequest() {
  const attr = (type, value) => {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(type, 0);
    head.writeUInt16BE(value.length, 2);
    return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
  };
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0001, 0);
  header.writeUInt32BE(0x2112a442, 4);
  header.fill(3, 8);
  let m = Buffer.concat([header, attr(0x0006, Buffer.from(`${UFRAG}:client`)), attr(0x802a, Buffer.alloc(8))]);
  m.writeUInt16BE(m.length - 20 + 24, 2);
  m = Buffer.concat([m, attr(0x0008, createHmac('sha1', PWD).update(m).digest())]);
  m.writeUInt16BE(m.length - 20 + 8, 2);
  const fp = Buffer.alloc(4);
  fp.writeUInt32BE((crc32(m) ^ 0x5354554e) >>> 0);
  return Buffer.concat([m, attr(0x8028, fp)]);
}

function socketOnLoopback() {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 4 << 20 });
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}

/** Sends `rate` Mbit/s of PACKET-byte datagrams from `socket` to `port` for `seconds`; returns packets sent. */
async function pump(socket, port, rateMbps, seconds) {
  const perTick = Math.round((rateMbps * 1e6 * TICK_MS) / 1000 / 8 / PACKET);
  const payload = Buffer.alloc(PACKET, 0x55);
  payload[0] = 0x80; // RTP version 2: not STUN, the repair port's common case
  const end = performance.now() + seconds * 1000;
  let sent = 0;
  let next = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < perTick; i++) socket.send(payload, port, '127.0.0.1');
    sent += perTick;
    next += TICK_MS;
    await sleep(Math.max(0, next - performance.now()));
  }
  await sleep(200); // let the last packets arrive
  return sent;
}

export async function run({ flags, log }) {
  const quick = flags.has('--quick');
  const seconds = quick ? 3 : 15;
  const rateMbps = 20;
  const sfu = await socketOnLoopback(); // stands for libjuice: counts what reaches it
  const client = await socketOnLoopback(); // stands for coturn's relay address
  const counts = { sfu: 0, client: 0 };
  let flowPort = 0;
  sfu.on('message', (m, from) => {
    counts.sfu++;
    flowPort = from.port;
  });
  client.on('message', () => counts.client++);

  const relays = {};
  try {
    for (const mode of ['repair', 'bare']) {
      const child = spawnNode([join(repoRoot, 'bench/lib/ice-repair-relay.mjs'), mode, sfu.address().port, UFRAG, PWD]);
      const { port } = await waitForJsonLine(child, (v) => typeof v.port === 'number');
      relays[mode] = { child, port, up: null, down: null };
    }
    const measure = async (mode, direction) => {
      const relay = relays[mode];
      // Open (repair: admit) the flow and learn the address the relay sends to the SFU from.
      flowPort = 0;
      client.send(bindingRequest(), relay.port, '127.0.0.1');
      while (flowPort === 0) await sleep(10);
      const flow = flowPort;
      counts.sfu = 0;
      counts.client = 0;
      const before = cpuMs(relay.child.pid);
      const sent = direction === 'up' ? await pump(client, relay.port, rateMbps, seconds) : await pump(sfu, flow, rateMbps, seconds);
      const cpu = cpuMs(relay.child.pid) - before;
      const received = direction === 'up' ? counts.sfu : counts.client;
      const mbit = (received * PACKET * 8) / 1e6;
      relay[direction] = { cpuMsPerMbit: cpu / mbit, delivered: received / sent, cpu, mbit };
      log(`• ${mode} ${direction}: ${fmt(received)} of ${fmt(sent)} packets, ${fmt(cpu)} ms CPU, ${fmt(cpu / mbit, 3)} ms per Mbit`);
    };
    // Interleaved so that a change of machine load touches both sides alike.
    for (const direction of ['up', 'down']) for (const mode of ['repair', 'bare']) await measure(mode, direction);
  } finally {
    for (const r of Object.values(relays)) await stop(r.child);
    sfu.close();
    client.close();
  }

  const { repair, bare } = relays;
  const both = (r) => (r.up.cpu + r.down.cpu) / (r.up.mbit + r.down.mbit);
  const rows = [
    [
      'CPU per forwarded Mbit, client → SFU (publisher media)',
      `${fmt(repair.up.cpuMsPerMbit, 3)} ms`,
      `${fmt(bare.up.cpuMsPerMbit, 3)} ms`,
      fmtRatio(ratio(repair.up.cpuMsPerMbit, bare.up.cpuMsPerMbit)),
    ],
    [
      'CPU per forwarded Mbit, SFU → client (subscriber media)',
      `${fmt(repair.down.cpuMsPerMbit, 3)} ms`,
      `${fmt(bare.down.cpuMsPerMbit, 3)} ms`,
      fmtRatio(ratio(repair.down.cpuMsPerMbit, bare.down.cpuMsPerMbit)),
    ],
    [
      'share of a core per 10 Mbit/s forwarded, both directions',
      `${fmt(both(repair), 2)} %`,
      `${fmt(both(bare), 2)} %`,
      fmtRatio(ratio(both(repair), both(bare))),
    ],
    [
      'packets delivered, up / down',
      `${fmt(repair.up.delivered * 100, 1)} % / ${fmt(repair.down.delivered * 100, 1)} %`,
      `${fmt(bare.up.delivered * 100, 1)} % / ${fmt(bare.down.delivered * 100, 1)} %`,
      '',
    ],
  ];
  const headlineRatio = ratio(both(repair), both(bare));
  return {
    headline: `${fmtRatio(headlineRatio)} the CPU of a bare Node UDP relay per forwarded Mbit (${fmt(both(repair), 3)} ms per Mbit)`,
    headlineName: 'ice-repair-cpu-ratio-vs-bare-relay',
    tables: [{ title: 'Repair port vs bare Node UDP relay, same packets, same run', columns: ['metric', 'repair port', 'bare relay', 'repair ÷ bare'], rows }],
    notes: [
      `Each relay in its own Node process on 127.0.0.1 (its CPU from /proc/<pid>/stat); the load generator and the stand-in SFU run in the benchmark process. ${rateMbps} Mbit/s of ${PACKET}-byte RTP-like datagrams for ${seconds} s per direction and relay, interleaved; the flow opened by one signed Binding request with a zero ICE-CONTROLLING (repaired).`,
      'The repair port is the built packages/server/dist/ice/IceRepairPort.js. The bare relay reads on one socket and writes on another, no parsing: the least any userspace relay in Node pays. Direct (non-relayed) clients cost the repair port nothing: their media goes to libjuice.',
      'ms per Mbit = relay CPU ms ÷ Mbit delivered; 1 ms per Mbit is 1 % of a core per 10 Mbit/s.',
    ],
  };
}
