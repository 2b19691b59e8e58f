import { createHmac } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { IceRepairLink } from './IceRepairLink.js';
import { IceRepairPort } from './IceRepairPort.js';
import { StunAttr, attributeValue, decodeXorAddress, encodeXorAddress, findAttribute, parseStun, verifyFingerprint, verifyIntegrity } from './stun.js';

const UFRAG = 'srvU';
const PWD = 'server-password-0123456789';

/** A STUN message built attribute by attribute, signed here (HMAC-SHA1, CRC-32) independently of stun.ts. */
function build(type: number, attributes: Array<[number, Buffer]>, key: string, transactionId: Buffer = Buffer.alloc(12, 7)): Buffer {
  const body: Buffer[] = [];
  for (const [t, value] of attributes) {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(t, 0);
    head.writeUInt16BE(value.length, 2);
    body.push(head, value, Buffer.alloc((4 - (value.length % 4)) % 4));
  }
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt32BE(0x2112a442, 4);
  transactionId.copy(header, 8);
  let message = Buffer.concat([header, ...body]);
  message.writeUInt16BE(message.length - 20 + 24, 2);
  const mi = createHmac('sha1', key).update(message).digest();
  message = Buffer.concat([message, Buffer.from([0, 8, 0, 20]), mi]);
  message.writeUInt16BE(message.length - 20 + 8, 2);
  const fp = Buffer.alloc(8);
  fp.writeUInt32BE(0x80280004, 0);
  fp.writeUInt32BE((crc32(message) ^ 0x5354554e) >>> 0, 4);
  return Buffer.concat([message, fp]);
}

function bindingRequest(username: string, key: string, tiebreaker: Buffer = Buffer.alloc(8)): Buffer {
  return build(
    0x0001,
    [
      [StunAttr.USERNAME, Buffer.from(username)],
      [StunAttr.PRIORITY, Buffer.from([0x6e, 0, 1, 0xff])],
      [StunAttr.ICE_CONTROLLED, tiebreaker],
    ],
    key,
  );
}

const sockets: Socket[] = [];
const ports: IceRepairPort[] = [];

afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
  for (const p of ports.splice(0)) p.close();
});

/** A bound UDP socket on loopback whose received datagrams queue up for `next()`. */
async function endpoint(): Promise<{ socket: Socket; port: number; next: () => Promise<{ packet: Buffer; from: RemoteInfo }> }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const queue: { packet: Buffer; from: RemoteInfo }[] = [];
  const waiting: ((m: { packet: Buffer; from: RemoteInfo }) => void)[] = [];
  socket.on('message', (packet, from) => {
    const w = waiting.shift();
    if (w) w({ packet, from });
    else queue.push({ packet, from });
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    socket,
    port: socket.address().port,
    next: () => {
      const queued = queue.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

async function openPort(options: { maxFlows?: number; maxFlowsPerConnection?: number; idleTimeoutMs?: number } = {}): Promise<IceRepairPort> {
  const port = await IceRepairPort.open({ port: 0, bindAddress: '127.0.0.1', targetAddress: '127.0.0.1', ...options });
  ports.push(port);
  return port;
}

function send(socket: Socket, packet: Buffer, port: number): Promise<void> {
  return new Promise((resolve, reject) => socket.send(packet, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
}

/** Polls until `check` holds (no time limit of its own: vitest's test timeout bounds it). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

describe('IceRepairPort', () => {
  test('repairs a zero tiebreaker, relays both ways and gives the client its own address back', async () => {
    const repair = await openPort();
    const sfu = await endpoint(); // stands for libjuice
    const client = await endpoint(); // stands for coturn's relay address
    repair.register(UFRAG, PWD, sfu.port);

    await send(client.socket, bindingRequest(`${UFRAG}:cli`, PWD), repair.port);
    const atSfu = await sfu.next();
    const request = parseStun(atSfu.packet)!;
    const tiebreaker = attributeValue(atSfu.packet, findAttribute(request, StunAttr.ICE_CONTROLLED)!);
    expect(tiebreaker.readBigUInt64BE(0)).not.toBe(0n);
    expect(verifyIntegrity(atSfu.packet, request, PWD)).toBe(true);
    expect(verifyFingerprint(atSfu.packet, request)).toBe(true);
    // Only the tiebreaker differs from what an honest client with that tiebreaker would have sent.
    expect(atSfu.packet.equals(bindingRequest(`${UFRAG}:cli`, PWD, tiebreaker))).toBe(true);

    // libjuice answers the flow's socket with the address it saw; the client gets its own.
    const response = build(0x0101, [[StunAttr.XOR_MAPPED_ADDRESS, encodeXorAddress('127.0.0.1', atSfu.from.port)!]], PWD, request.transactionId);
    await send(sfu.socket, response, atSfu.from.port);
    const atClient = await client.next();
    expect(atClient.from.port).toBe(repair.port);
    const answered = parseStun(atClient.packet)!;
    expect(decodeXorAddress(attributeValue(atClient.packet, findAttribute(answered, StunAttr.XOR_MAPPED_ADDRESS)!))).toEqual({
      address: '127.0.0.1',
      port: client.port,
    });
    expect(verifyIntegrity(atClient.packet, answered, PWD)).toBe(true);
    expect(verifyFingerprint(atClient.packet, answered)).toBe(true);

    // A second check of the flow keeps the flow's tiebreaker; media passes byte-identical both ways.
    await send(client.socket, bindingRequest(`${UFRAG}:cli`, PWD), repair.port);
    const again = await sfu.next();
    expect(attributeValue(again.packet, findAttribute(parseStun(again.packet)!, StunAttr.ICE_CONTROLLED)!).equals(tiebreaker)).toBe(true);
    expect(again.from.port).toBe(atSfu.from.port);
    const rtp = Buffer.from('80600001000000010000000a0102030405', 'hex');
    await send(client.socket, rtp, repair.port);
    expect((await sfu.next()).packet.equals(rtp)).toBe(true);
    const dtls = Buffer.from('16fefd0000000000000000000102', 'hex');
    await send(sfu.socket, dtls, atSfu.from.port);
    expect((await client.next()).packet.equals(dtls)).toBe(true);
    // A nonzero tiebreaker goes through untouched.
    const honest = bindingRequest(`${UFRAG}:cli`, PWD, Buffer.alloc(8, 9));
    await send(client.socket, honest, repair.port);
    expect((await sfu.next()).packet.equals(honest)).toBe(true);

    expect(repair.getStats()).toMatchObject({ flows: 1, flowsOpened: 1, packetsIn: 4, packetsOut: 2, rewrites: 2, rejects: 0 });
  });

  test('drops and counts what is not a signed Binding request of a live connection', async () => {
    const repair = await openPort();
    const sfu = await endpoint();
    const client = await endpoint();
    repair.register(UFRAG, PWD, sfu.port);
    let reached = 0;
    sfu.socket.on('message', () => reached++);

    await send(client.socket, bindingRequest(`${UFRAG}:cli`, 'not-the-password'), repair.port); // bad integrity
    await send(client.socket, bindingRequest('unknown:cli', PWD), repair.port); // unknown ufrag
    await send(client.socket, bindingRequest(UFRAG, PWD), repair.port); // no colon
    await send(client.socket, Buffer.from('80600001000000010000000a', 'hex'), repair.port); // media before any check
    await send(client.socket, Buffer.from('garbage'), repair.port);
    await send(client.socket, Buffer.alloc(0), repair.port);
    const response = build(0x0101, [[StunAttr.XOR_MAPPED_ADDRESS, encodeXorAddress('127.0.0.1', 1)!]], PWD);
    await send(client.socket, response, repair.port); // a response cannot open a flow
    await until(() => repair.getStats().rejects === 7);
    expect(repair.getStats()).toMatchObject({ flows: 0, flowsOpened: 0, packetsIn: 0 });

    // After all that, a proper check still gets through.
    await send(client.socket, bindingRequest(`${UFRAG}:cli`, PWD), repair.port);
    await sfu.next();
    expect(reached).toBe(1);
  });

  test('closes the flows of a connection that goes away, refuses beyond maxFlows and closes idle flows', async () => {
    const repair = await openPort({ maxFlows: 1, idleTimeoutMs: 200 });
    const sfu = await endpoint();
    const first = await endpoint();
    const second = await endpoint();
    repair.register(UFRAG, PWD, sfu.port);
    await send(first.socket, bindingRequest(`${UFRAG}:a`, PWD), repair.port);
    await sfu.next();
    await send(second.socket, bindingRequest(`${UFRAG}:b`, PWD), repair.port);
    await until(() => repair.getStats().rejects === 1);
    expect(repair.getStats().flows).toBe(1);

    repair.unregister(UFRAG);
    expect(repair.getStats().flows).toBe(0);
    await send(first.socket, bindingRequest(`${UFRAG}:a`, PWD), repair.port);
    await until(() => repair.getStats().rejects === 2);

    repair.register(UFRAG, PWD, sfu.port);
    await send(second.socket, bindingRequest(`${UFRAG}:b`, PWD), repair.port);
    await sfu.next();
    expect(repair.getStats().flows).toBe(1);
    await until(() => repair.getStats().flows === 0); // nothing more: the idle sweep closes it
  });

  test('one connection gets at most maxFlowsPerConnection flows; another connection still gets its own', async () => {
    const repair = await openPort({ maxFlowsPerConnection: 2 });
    const sfu = await endpoint();
    repair.register(UFRAG, PWD, sfu.port);
    repair.register('other', PWD, sfu.port);
    const clients = [await endpoint(), await endpoint(), await endpoint()];
    for (const c of clients) await send(c.socket, bindingRequest(`${UFRAG}:c`, PWD), repair.port);
    await sfu.next();
    await sfu.next();
    await until(() => repair.getStats().rejects === 1);
    await send(clients[2]!.socket, bindingRequest('other:c', PWD), repair.port);
    await sfu.next();
    expect(repair.getStats()).toMatchObject({ flows: 3, flowsOpened: 3, rejects: 1 });
  });
});

describe('IceRepairLink', () => {
  const ANSWER = [
    'v=0',
    'a=group:BUNDLE 0',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    `a=ice-ufrag:${UFRAG}`,
    `a=ice-pwd:${PWD}`,
    'a=candidate:1 1 UDP 2122317823 fe80::1 40000 typ host',
    'a=candidate:2 1 UDP 2122317567 192.0.2.10 40000 typ host',
    '',
  ].join('\r\n');

  test('adds the repair candidate to an answer, registers the connection and unregisters it on close', async () => {
    const repair = await openPort();
    const sfu = await endpoint();
    const link = new IceRepairLink(repair);
    const sdp = link.description('publisher', ANSWER.replaceAll('40000', String(sfu.port)));
    const lines = sdp.split('\r\n');
    const at = lines.findIndex((l) => l.includes('192.0.2.10'));
    expect(lines[at + 1]).toBe(`a=candidate:parleyrepair 1 udp 2113929727 192.0.2.10 ${repair.port} typ host`);
    expect(lines.filter((l) => l.includes('parleyrepair'))).toHaveLength(1);

    const client = await endpoint();
    await send(client.socket, bindingRequest(`${UFRAG}:x`, PWD), repair.port);
    await sfu.next();
    link.close();
    expect(repair.getStats().flows).toBe(0);
  });

  test('announces once per credentials for trickled candidates, and again after they change', async () => {
    const repair = await openPort();
    const link = new IceRepairLink(repair);
    const offer = ANSWER.split('\r\n')
      .filter((l) => !l.startsWith('a=candidate'))
      .join('\r\n');
    expect(link.description('subscriber', offer)).toBe(offer);
    expect(link.candidate('subscriber', 'candidate:1 1 UDP 2122317823 fe80::1 40000 typ host')).toBeUndefined();
    expect(link.candidate('subscriber', 'candidate:3 1 TCP 2122317823 192.0.2.10 40000 typ host tcptype passive')).toBeUndefined();
    expect(link.candidate('subscriber', 'candidate:2 1 UDP 2122317567 192.0.2.10 40000 typ host')).toContain(`192.0.2.10 ${repair.port} typ host`);
    expect(link.candidate('subscriber', 'candidate:2 1 UDP 2122317567 192.0.2.11 40000 typ host')).toBeUndefined();
    link.description('subscriber', offer.replace(`a=ice-ufrag:${UFRAG}`, 'a=ice-ufrag:next'));
    expect(link.candidate('subscriber', 'candidate:2 1 UDP 2122317567 192.0.2.10 40002 typ host')).toContain('parleyrepair');
  });
});
