import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { crc32 } from 'node:zlib';

/*
 * The few STUN (RFC 5389 / RFC 8489) operations the ICE check repair port needs: read a message's
 * attributes, verify MESSAGE-INTEGRITY with a short-term credential, replace an attribute value
 * of the same length, and recompute MESSAGE-INTEGRITY and FINGERPRINT afterwards. Values are
 * edited in a copy and never change size, so the header length field stays as it was.
 */

export const MAGIC_COOKIE = 0x2112a442;
const HEADER = 20;
const FINGERPRINT_XOR = 0x5354554e;

export const StunType = {
  BINDING_REQUEST: 0x0001,
  BINDING_SUCCESS: 0x0101,
} as const;

export const StunAttr = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  XOR_MAPPED_ADDRESS: 0x0020,
  PRIORITY: 0x0024,
  USE_CANDIDATE: 0x0025,
  FINGERPRINT: 0x8028,
  ICE_CONTROLLED: 0x8029,
  ICE_CONTROLLING: 0x802a,
} as const;

/** Where one attribute sits in its message. */
export interface StunAttribute {
  readonly type: number;
  /** Offset of the attribute header (type, length) in the message. */
  readonly start: number;
  /** Length of the value (without padding). */
  readonly length: number;
}

/** A message's header fields and its attributes, in order. */
export interface StunMessage {
  readonly type: number;
  readonly transactionId: Buffer;
  readonly attributes: readonly StunAttribute[];
}

/** True when `packet` looks like STUN: top bits 00, the magic cookie, a length that fits (RFC 7983 demultiplexing). */
export function looksLikeStun(packet: Buffer): boolean {
  return packet.length >= HEADER && packet[0]! < 4 && packet.readUInt32BE(4) === MAGIC_COOKIE && packet.readUInt16BE(2) + HEADER === packet.length;
}

/** Parses the header and attribute layout; undefined when the packet is not well-formed STUN. */
export function parseStun(packet: Buffer): StunMessage | undefined {
  if (!looksLikeStun(packet) || packet.length % 4 !== 0) return undefined;
  const attributes: StunAttribute[] = [];
  let off = HEADER;
  while (off < packet.length) {
    if (off + 4 > packet.length) return undefined;
    const type = packet.readUInt16BE(off);
    const length = packet.readUInt16BE(off + 2);
    const next = off + 4 + Math.ceil(length / 4) * 4;
    if (next > packet.length) return undefined;
    attributes.push({ type, start: off, length });
    off = next;
  }
  return { type: packet.readUInt16BE(0), transactionId: packet.subarray(8, HEADER), attributes };
}

/** The first attribute of `type`, if any. */
export function findAttribute(message: StunMessage, type: number): StunAttribute | undefined {
  return message.attributes.find((a) => a.type === type);
}

/** The value bytes of an attribute (a view into `packet`). */
export function attributeValue(packet: Buffer, attribute: StunAttribute): Buffer {
  return packet.subarray(attribute.start + 4, attribute.start + 4 + attribute.length);
}

/**
 * HMAC-SHA1 of the message up to the MESSAGE-INTEGRITY attribute at `miStart`, computed as
 * RFC 5389 §15.4 says: with the header length field set as if that attribute were the last one.
 */
export function computeIntegrity(packet: Buffer, miStart: number, key: string | Buffer): Buffer {
  const covered = Buffer.from(packet.subarray(0, miStart));
  covered.writeUInt16BE(miStart + 24 - HEADER, 2);
  return createHmac('sha1', key).update(covered).digest();
}

/** CRC-32 of the message up to the FINGERPRINT attribute at `fpStart`, xor 0x5354554e (RFC 5389 §15.5). */
export function computeFingerprint(packet: Buffer, fpStart: number): number {
  const covered = Buffer.from(packet.subarray(0, fpStart));
  covered.writeUInt16BE(fpStart + 8 - HEADER, 2);
  return (crc32(covered) ^ FINGERPRINT_XOR) >>> 0;
}

/** True when the message carries a MESSAGE-INTEGRITY that `key` (the ICE password) produced. */
export function verifyIntegrity(packet: Buffer, message: StunMessage, key: string | Buffer): boolean {
  const mi = findAttribute(message, StunAttr.MESSAGE_INTEGRITY);
  if (mi === undefined || mi.length !== 20) return false;
  return timingSafeEqual(computeIntegrity(packet, mi.start, key), attributeValue(packet, mi));
}

/** True when the message has a FINGERPRINT and it matches. */
export function verifyFingerprint(packet: Buffer, message: StunMessage): boolean {
  const fp = findAttribute(message, StunAttr.FINGERPRINT);
  return fp !== undefined && fp.length === 4 && packet.readUInt32BE(fp.start + 4) === computeFingerprint(packet, fp.start);
}

/**
 * Rewrites MESSAGE-INTEGRITY (with `key`) and FINGERPRINT in place after an attribute before them
 * changed. Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are not covered by it, as
 * the RFC says, and are left alone.
 */
export function resign(packet: Buffer, message: StunMessage, key: string | Buffer): void {
  const mi = findAttribute(message, StunAttr.MESSAGE_INTEGRITY);
  if (mi !== undefined && mi.length === 20) computeIntegrity(packet, mi.start, key).copy(packet, mi.start + 4);
  const fp = findAttribute(message, StunAttr.FINGERPRINT);
  if (fp !== undefined && fp.length === 4) packet.writeUInt32BE(computeFingerprint(packet, fp.start), fp.start + 4);
}

/** The USERNAME of a message as text, if present. */
export function readUsername(packet: Buffer, message: StunMessage): string | undefined {
  const attribute = findAttribute(message, StunAttr.USERNAME);
  return attribute === undefined ? undefined : attributeValue(packet, attribute).toString('utf8');
}

/**
 * Returns a copy of a Binding request whose ICE-CONTROLLING or ICE-CONTROLLED tiebreaker is zero
 * with `tiebreaker` (8 bytes) in its place, re-signed with `key`; undefined when the request has
 * no zero tiebreaker (nothing to repair).
 */
export function repairTiebreaker(packet: Buffer, message: StunMessage, tiebreaker: Buffer, key: string | Buffer): Buffer | undefined {
  const role = message.attributes.find((a) => (a.type === StunAttr.ICE_CONTROLLING || a.type === StunAttr.ICE_CONTROLLED) && a.length === 8);
  if (role === undefined || packet.readBigUInt64BE(role.start + 4) !== 0n) return undefined;
  const out = Buffer.from(packet);
  tiebreaker.copy(out, role.start + 4, 0, 8);
  resign(out, message, key);
  return out;
}

/**
 * Returns a copy of a Binding success response whose XOR-MAPPED-ADDRESS says `address:port`,
 * re-signed with `key`; undefined when it has no such attribute or the address family differs
 * (the value would change size).
 */
export function rewriteMappedAddress(packet: Buffer, message: StunMessage, address: string, port: number, key: string | Buffer): Buffer | undefined {
  const attribute = findAttribute(message, StunAttr.XOR_MAPPED_ADDRESS);
  if (attribute === undefined) return undefined;
  const value = encodeXorAddress(address, port);
  if (value === undefined || value.length !== attribute.length) return undefined;
  const out = Buffer.from(packet);
  value.copy(out, attribute.start + 4);
  resign(out, message, key);
  return out;
}

/** The value of an XOR-MAPPED-ADDRESS for an IPv4 `address:port` (RFC 5389 §15.2); the repair port is IPv4 only. */
export function encodeXorAddress(address: string, port: number): Buffer | undefined {
  if (isIP(address) === 4) {
    const value = Buffer.alloc(8);
    value.writeUInt16BE(0x0001, 0);
    value.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), 2);
    const ip = address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
    value.writeUInt32BE((ip ^ MAGIC_COOKIE) >>> 0, 4);
    return value;
  }
  return undefined;
}

/** Decodes an IPv4 XOR-MAPPED-ADDRESS value. */
export function decodeXorAddress(value: Buffer): { address: string; port: number } | undefined {
  if (value.length < 8) return undefined;
  const port = value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
  if (value.readUInt16BE(0) === 0x0001 && value.length === 8) {
    const ip = (value.readUInt32BE(4) ^ MAGIC_COOKIE) >>> 0;
    return { address: [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.'), port };
  }
  return undefined;
}
