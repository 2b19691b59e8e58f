/**
 * Read/write helpers for the fixed RTP header, operating on a Buffer in place.
 * RFC 3550 §5.1 (https://www.rfc-editor.org/rfc/rfc3550#section-5.1):
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *    |                           timestamp                           |
 *    |           synchronization source (SSRC) identifier            |
 *
 * These are plain functions over (buffer, offset 0) so the forwarding loop allocates nothing.
 */

/** Length of the fixed RTP header in bytes. */
export const RTP_HEADER_LENGTH = 12;

/**
 * True when the second byte says RTCP (packet types 192–223) rather than RTP, the demultiplexing
 * rule of RFC 5761 §4 for RTP and RTCP on one port. Negotiated RTP payload types (96–127, 0–34)
 * never fall in that range, with or without the marker bit.
 */
export function isRtcp(packet: Uint8Array): boolean {
  const b = packet[1]!;
  return b >= 192 && b <= 223;
}

/** True when `packet` is long enough for its header (CSRCs included) and has version 2. */
export function isValidRtp(packet: Uint8Array): boolean {
  const len = packet.length;
  if (len < RTP_HEADER_LENGTH) return false;
  const b0 = packet[0]!;
  return b0 >> 6 === 2 && len >= RTP_HEADER_LENGTH + (b0 & 0x0f) * 4;
}

export function readPayloadType(packet: Uint8Array): number {
  return packet[1]! & 0x7f;
}

export function readMarker(packet: Uint8Array): boolean {
  return (packet[1]! & 0x80) !== 0;
}

export function readSequenceNumber(packet: Uint8Array): number {
  return (packet[2]! << 8) | packet[3]!;
}

export function readTimestamp(packet: Uint8Array): number {
  return ((packet[4]! << 24) | (packet[5]! << 16) | (packet[6]! << 8) | packet[7]!) >>> 0;
}

export function readSsrc(packet: Uint8Array): number {
  return ((packet[8]! << 24) | (packet[9]! << 16) | (packet[10]! << 8) | packet[11]!) >>> 0;
}

/**
 * Offset of the payload: after the fixed header, the CSRC list and the header extension
 * (RFC 3550 §5.3.1). Returns -1 when the packet is truncated.
 */
export function payloadOffset(packet: Uint8Array): number {
  const len = packet.length;
  const b0 = packet[0]!;
  let off = RTP_HEADER_LENGTH + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (off + 4 > len) return -1;
    off += 4 + ((packet[off + 2]! << 8) | packet[off + 3]!) * 4;
  }
  let end = len;
  if (b0 & 0x20) end -= packet[len - 1]!; // padding count is the last byte
  return off <= end ? off : -1;
}

/** Writes a 32-bit unsigned big-endian value at `off`. */
export function writeU32(buf: Uint8Array, off: number, value: number): void {
  buf[off] = value >>> 24;
  buf[off + 1] = value >>> 16;
  buf[off + 2] = value >>> 8;
  buf[off + 3] = value;
}

/** Reads a 32-bit unsigned big-endian value at `off`. */
export function readU32(buf: Uint8Array, off: number): number {
  return ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0;
}

/** Reads a 16-bit unsigned big-endian value at `off`. */
export function readU16(buf: Uint8Array, off: number): number {
  return (buf[off]! << 8) | buf[off + 1]!;
}

/** Writes a 16-bit unsigned big-endian value at `off`. */
export function writeU16(buf: Uint8Array, off: number, value: number): void {
  buf[off] = value >>> 8;
  buf[off + 1] = value;
}
