/**
 * RTP payload for redundant audio (RED, RFC 2198), as Chromium sends Opus with it: the payload
 * starts with one 4-byte header per redundant block (F=1, block payload type, 14-bit timestamp
 * offset, 10-bit length), then a 1-byte header for the primary block (F=0, its payload type);
 * the redundant blocks' data follow in order, the primary block's data last.
 *
 *      0                   1                   2                   3
 *     |F|   block PT  |  timestamp offset         |   block length    |   (F=1: redundant)
 *     |0|   block PT  |                                                    (F=0: primary)
 */

/**
 * Writes into `out` the packet `packet` would be without RED: the same RTP header (CSRCs and
 * extensions kept, the P bit cleared) with the primary block's payload type and data. Returns its
 * length, or -1 when the RED payload is malformed (blocks overrunning the packet) or `out` is too
 * small. Allocates nothing: one call per audio packet for each receiver that did not take RED.
 */
export function writeRedPrimary(packet: Uint8Array, out: Uint8Array): number {
  const len = packet.length;
  if (len < 12) return -1;
  const b0 = packet[0]!;
  let start = 12 + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (len < start + 4) return -1;
    start += 4 + ((packet[start + 2]! << 8) | packet[start + 3]!) * 4;
  }
  let end = len;
  if (b0 & 0x20) end -= packet[len - 1]!;
  if (start >= end) return -1;
  // Headers: redundant ones (F=1) add their block lengths before the primary data.
  let p = start;
  let redundant = 0;
  while (p < end && (packet[p]! & 0x80) !== 0) {
    if (p + 4 > end) return -1;
    redundant += ((packet[p + 2]! & 0x03) << 8) | packet[p + 3]!;
    p += 4;
  }
  if (p >= end) return -1;
  const primaryPt = packet[p]! & 0x7f;
  const dataStart = p + 1 + redundant;
  if (dataStart > end) return -1;
  const size = start + (end - dataStart);
  if (size > out.length) return -1;
  out.set(packet.subarray(0, start), 0);
  out[0] = b0 & ~0x20;
  out[1] = (packet[1]! & 0x80) | primaryPt;
  out.set(packet.subarray(dataStart, end), start);
  return size;
}

/**
 * Unwraps RED packets for one receiver that does not take RED (a subscriber, a recording): the
 * packet is shared with the other outputs, so the Opus inside goes out from a buffer of its own.
 */
export class RedUnwrapper {
  #buf: Buffer | null = null;

  /** The packet without RED (see {@link writeRedPrimary}), valid until the next call; null when malformed. */
  unwrap(packet: Buffer): Buffer | null {
    if ((this.#buf?.length ?? 0) < packet.length) this.#buf = Buffer.alloc(Math.max(1500, packet.length));
    const len = writeRedPrimary(packet, this.#buf!);
    return len < 0 ? null : this.#buf!.subarray(0, len);
  }
}
