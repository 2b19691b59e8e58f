/**
 * RTCP common header and compound-packet walking (RFC 3550 §6.1, §6.4):
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    |V=2|P|  RC/FMT |      PT       |             length            |
 *    |                 SSRC of packet sender                         |
 *
 * `length` is the packet size in 32-bit words minus one. A compound packet is several such
 * packets back to back; walk it with {@link nextRtcpPacket}.
 */

/** RTCP packet types. */
export const RtcpType = {
  /** Sender report, RFC 3550 §6.4.1. */
  SR: 200,
  /** Receiver report, RFC 3550 §6.4.2. */
  RR: 201,
  /** Source description, RFC 3550 §6.5. */
  SDES: 202,
  /** Goodbye, RFC 3550 §6.6. */
  BYE: 203,
  /** Transport-layer feedback (NACK), RFC 4585 §6.2. */
  RTPFB: 205,
  /** Payload-specific feedback (PLI, FIR, REMB), RFC 4585 §6.3. */
  PSFB: 206,
} as const;

/** Feedback message types (the FMT field). */
export const FeedbackFormat = {
  /** Generic NACK (RTPFB), RFC 4585 §6.2.1. */
  NACK: 1,
  /** Picture Loss Indication (PSFB), RFC 4585 §6.3.1. */
  PLI: 1,
  /** Full Intra Request (PSFB), RFC 5104 §4.3.1. */
  FIR: 4,
  /** Application layer feedback (PSFB), RFC 4585 §6.4; REMB uses it. */
  AFB: 15,
} as const;

/**
 * Returns the offset just past the RTCP packet starting at `off`, or -1 when the header is not a
 * valid RTCP header or the packet overruns `len`. Use it to walk a compound packet:
 *
 * ```ts
 * for (let off = 0, next; off < buf.length && (next = nextRtcpPacket(buf, off, buf.length)) > 0; off = next) { … }
 * ```
 */
export function nextRtcpPacket(buf: Uint8Array, off: number, len: number): number {
  if (off + 4 > len) return -1;
  if (buf[off]! >> 6 !== 2) return -1;
  const pt = buf[off + 1]!;
  if (pt < 192 || pt > 223) return -1;
  const next = off + (((buf[off + 2]! << 8) | buf[off + 3]!) + 1) * 4;
  return next <= len ? next : -1;
}

/** Packet type of the RTCP packet at `off`. */
export function rtcpType(buf: Uint8Array, off: number): number {
  return buf[off + 1]!;
}

/** RC (report count) or FMT (feedback message type) of the RTCP packet at `off`. */
export function rtcpCountOrFormat(buf: Uint8Array, off: number): number {
  return buf[off]! & 0x1f;
}
