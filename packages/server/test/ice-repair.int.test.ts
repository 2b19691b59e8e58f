/**
 * The ICE check repair port on a real server with TURN configured, at the STUN level: the SFU's
 * answer carries the repair candidate; libjuice answers 400 to a check with a zero tiebreaker sent
 * to its own port (libjuice #355) and answers the same check through the repair port; garbage and
 * unsigned or wrongly signed checks are dropped and counted, and the server keeps working.
 */
import { createHmac } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { crc32 } from 'node:zlib';
import { afterAll, expect, it } from 'vitest';
import type { IceRepairStats } from '../src/ice/IceRepairPort.js';
import { StunAttr, attributeValue, decodeXorAddress, findAttribute, parseStun, verifyIntegrity } from '../src/ice/stun.js';
import { dataOf, joinConversation, publish } from './helpers/conversation.js';
import { CAMERA, CAMERA_MSID } from './helpers/SubscriberPeers.js';
import { useTestServer } from './helpers/testServer.js';

const env = useTestServer({ ice: { turnUrls: ['turn:127.0.0.1:3478?transport=tcp'], turnSecret: 'a-secret-of-at-least-16-chars' } });
const sockets: Socket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});

async function repairStats(): Promise<IceRepairStats> {
  const stats = (await (await fetch(`${env.server.url}/api/v1/stats`)).json()) as { sfu: { iceRepair: IceRepairStats } };
  return stats.sfu.iceRepair;
}

/** A Binding request with ICE-CONTROLLING = `tiebreaker`, signed with `key`, built here from the RFC (not with stun.ts). */
function check(username: string, key: string, tiebreaker: Buffer): Buffer {
  const attr = (type: number, value: Buffer): Buffer => {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(type, 0);
    head.writeUInt16BE(value.length, 2);
    return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
  };
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0001, 0);
  header.writeUInt32BE(0x2112a442, 4);
  header.fill(Math.floor(Math.random() * 256), 8);
  let m = Buffer.concat([header, attr(0x0006, Buffer.from(username)), attr(0x0024, Buffer.from([0x6e, 0, 1, 0xff])), attr(0x802a, tiebreaker)]);
  m.writeUInt16BE(m.length - 20 + 24, 2);
  m = Buffer.concat([m, attr(0x0008, createHmac('sha1', key).update(m).digest())]);
  m.writeUInt16BE(m.length - 20 + 8, 2);
  const fp = Buffer.alloc(4);
  fp.writeUInt32BE((crc32(m) ^ 0x5354554e) >>> 0);
  return Buffer.concat([m, attr(0x8028, fp)]);
}

async function socket(): Promise<{ s: Socket; next: () => Promise<Buffer> }> {
  const s = createSocket('udp4');
  sockets.push(s);
  const queue: Buffer[] = [];
  const waiting: ((b: Buffer) => void)[] = [];
  s.on('message', (m) => {
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  return { s, next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve))) };
}

it('announces the repair candidate, repairs a zero tiebreaker libjuice refuses, and drops the rest', async () => {
  const alice = await env.user('r-alice');
  await joinConversation(alice, 'r1');
  expect((await publish(alice, 'r1', 100, CAMERA_MSID)).ok).toBe(true);
  const answer = await alice.request({ type: 'media.publisherOffer', conversation: 'r1', sdp: CAMERA });
  const sdp = dataOf<{ sdp: string }>(answer).sdp;
  const { port } = await repairStats();
  const repairLine = new RegExp(`^a=candidate:parleyrepair 1 udp 2113929727 (\\S+) ${port} typ host$`, 'm');
  expect(sdp).toMatch(repairLine);
  const host = /^a=candidate:\S+ 1 UDP \d+ (\d+\.\d+\.\d+\.\d+) (\d+) typ host$/im.exec(sdp)!;
  expect(repairLine.exec(sdp)![1]).toBe(host[1]); // next to the SFU's first IPv4 host candidate
  const sfuPort = Number(host[2]);
  const ufrag = /^a=ice-ufrag:(\S+)/m.exec(sdp)![1]!;
  const pwd = /^a=ice-pwd:(\S+)/m.exec(sdp)![1]!;
  const browserUfrag = /^a=ice-ufrag:(\S+)/m.exec(CAMERA)![1]!;

  // Straight to libjuice, as Chromium sends it through a TURN/TCP allocation: 400.
  const direct = await socket();
  direct.s.send(check(`${ufrag}:${browserUfrag}`, pwd, Buffer.alloc(8)), sfuPort, '127.0.0.1');
  const refused = await direct.next();
  expect(refused.readUInt16BE(0)).toBe(0x0111); // Binding error response
  const code = attributeValue(refused, findAttribute(parseStun(refused)!, 0x0009)!);
  expect(code[2]! * 100 + code[3]!).toBe(400);

  // Garbage, an unknown ufrag, a wrong password: dropped, counted, nothing answered.
  const client = await socket();
  const before = await repairStats();
  client.s.send(Buffer.from('definitely not STUN'), port, '127.0.0.1');
  client.s.send(Buffer.alloc(0), port, '127.0.0.1');
  client.s.send(check(`nobody:${browserUfrag}`, pwd, Buffer.alloc(8)), port, '127.0.0.1');
  client.s.send(check(`${ufrag}:${browserUfrag}`, 'not the password', Buffer.alloc(8)), port, '127.0.0.1');
  for (;;) {
    const now = await repairStats();
    if (now.rejects - before.rejects >= 4) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(await repairStats()).toMatchObject({ flows: 0, flowsOpened: 0, packetsOut: 0 });

  // The same check through the repair port: libjuice answers success, with the client's own address.
  client.s.send(check(`${ufrag}:${browserUfrag}`, pwd, Buffer.alloc(8)), port, '127.0.0.1');
  const answered = await client.next();
  const message = parseStun(answered)!;
  expect(message.type).toBe(0x0101);
  expect(verifyIntegrity(answered, message, pwd)).toBe(true);
  expect(decodeXorAddress(attributeValue(answered, findAttribute(message, StunAttr.XOR_MAPPED_ADDRESS)!))).toEqual({
    address: '127.0.0.1',
    port: client.s.address().port,
  });
  expect(await repairStats()).toMatchObject({ flows: 1, flowsOpened: 1, rewrites: 1 });

  // The server still serves: the participant leaves, its connection's flow closes.
  expect((await alice.request({ type: 'conv.leave', conversation: 'r1' })).ok).toBe(true);
  for (;;) {
    if ((await repairStats()).flows === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
});
