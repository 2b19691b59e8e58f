import { createHash, createHmac, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/*
 * A minimal TURN client (RFC 8656 Allocate over TCP, RFC 8489 long-term credentials) to ask a real
 * coturn whether it takes a credential: the first Allocate gets 401 with a realm and a nonce; the
 * second carries USERNAME, REALM, NONCE and MESSAGE-INTEGRITY keyed with MD5(user:realm:password).
 * Success is 0x0103; a refused credential is 401 again (coturn's REST scheme: wrong HMAC or an
 * expiry in the past).
 */

const MAGIC = 0x2112a442;
const ALLOCATE_REQUEST = 0x0003;
const ALLOCATE_SUCCESS = 0x0103;
const ALLOCATE_ERROR = 0x0113;
const ATTR = { USERNAME: 0x0006, MESSAGE_INTEGRITY: 0x0008, ERROR_CODE: 0x0009, REALM: 0x0014, NONCE: 0x0015, REQUESTED_TRANSPORT: 0x0019 } as const;

interface Attribute {
  type: number;
  value: Buffer;
}

function attribute(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(Math.ceil(value.length / 4) * 4);
  value.copy(padded);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, padded]);
}

function message(type: number, transactionId: Buffer, attributes: Buffer[], integrityKey?: Buffer): Buffer {
  let body = Buffer.concat(attributes);
  const header = (length: number): Buffer => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(type, 0);
    h.writeUInt16BE(length, 2);
    h.writeUInt32BE(MAGIC, 4);
    transactionId.copy(h, 8);
    return h;
  };
  if (integrityKey) {
    // The HMAC covers the message with its length already counting the MESSAGE-INTEGRITY attribute.
    const hmac = createHmac('sha1', integrityKey)
      .update(Buffer.concat([header(body.length + 24), body]))
      .digest();
    body = Buffer.concat([body, attribute(ATTR.MESSAGE_INTEGRITY, hmac)]);
  }
  return Buffer.concat([header(body.length), body]);
}

function parse(buf: Buffer): { type: number; attributes: Attribute[] } {
  const type = buf.readUInt16BE(0);
  const length = buf.readUInt16BE(2);
  const attributes: Attribute[] = [];
  let at = 20;
  while (at + 4 <= 20 + length) {
    const t = buf.readUInt16BE(at);
    const l = buf.readUInt16BE(at + 2);
    attributes.push({ type: t, value: buf.subarray(at + 4, at + 4 + l) });
    at += 4 + Math.ceil(l / 4) * 4;
  }
  return { type, attributes };
}

/** Reads STUN messages off a TCP stream (RFC 8489 framing: 20-byte header + length). */
function reader(socket: Socket): () => Promise<Buffer> {
  let pending = Buffer.alloc(0);
  const waiting: Array<(b: Buffer) => void> = [];
  const ready: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 20 && pending.length >= 20 + pending.readUInt16BE(2)) {
      const size = 20 + pending.readUInt16BE(2);
      const msg = pending.subarray(0, size);
      pending = pending.subarray(size);
      const take = waiting.shift();
      if (take) take(msg);
      else ready.push(msg);
    }
  });
  return () => {
    const msg = ready.shift();
    if (msg) return Promise.resolve(msg);
    return new Promise((resolve, reject) => {
      waiting.push(resolve);
      socket.once('close', () => reject(new Error('TURN server closed the connection')));
    });
  };
}

/** Outcome of an Allocate: `success`, or the error code and reason coturn answered. */
export type AllocateOutcome = { success: true } | { success: false; code: number; reason: string };

function errorOf(attributes: Attribute[]): { code: number; reason: string } {
  const e = attributes.find((a) => a.type === ATTR.ERROR_CODE)?.value;
  if (!e) return { code: 0, reason: 'no ERROR-CODE' };
  return { code: (e[2] ?? 0) * 100 + (e[3] ?? 0), reason: e.subarray(4).toString('utf8') };
}

/** Asks coturn at host:port (TCP) for a UDP relay with `username`/`password`. */
export async function allocateOverTcp(host: string, port: number, username: string, password: string): Promise<AllocateOutcome> {
  const socket = connect(port, host);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  try {
    const next = reader(socket);
    const udp = Buffer.from([17, 0, 0, 0]);
    socket.write(message(ALLOCATE_REQUEST, randomBytes(12), [attribute(ATTR.REQUESTED_TRANSPORT, udp)]));
    const challenge = parse(await next());
    if (challenge.type !== ALLOCATE_ERROR) throw new Error(`expected a 401 challenge, got message type 0x${challenge.type.toString(16)}`);
    const first = errorOf(challenge.attributes);
    if (first.code !== 401) throw new Error(`expected 401 to an unauthenticated Allocate, got ${first.code} ${first.reason}`);
    const realm = challenge.attributes.find((a) => a.type === ATTR.REALM)?.value;
    const nonce = challenge.attributes.find((a) => a.type === ATTR.NONCE)?.value;
    if (!realm || !nonce) throw new Error('401 without REALM or NONCE');
    const key = createHash('md5')
      .update(`${username}:${realm.toString('utf8')}:${password}`)
      .digest();
    socket.write(
      message(
        ALLOCATE_REQUEST,
        randomBytes(12),
        [
          attribute(ATTR.REQUESTED_TRANSPORT, udp),
          attribute(ATTR.USERNAME, Buffer.from(username, 'utf8')),
          attribute(ATTR.REALM, realm),
          attribute(ATTR.NONCE, nonce),
        ],
        key,
      ),
    );
    const answer = parse(await next());
    if (answer.type === ALLOCATE_SUCCESS) return { success: true };
    if (answer.type === ALLOCATE_ERROR) return { success: false, ...errorOf(answer.attributes) };
    throw new Error(`unexpected answer type 0x${answer.type.toString(16)}`);
  } finally {
    socket.destroy();
  }
}
