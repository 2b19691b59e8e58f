import { readU32, writeU32 } from '../rtp/RtpPacket.js';
import { FeedbackFormat, RtcpType } from './RtcpPacket.js';

/**
 * Receiver Estimated Maximum Bitrate, draft-alvestrand-rmcat-remb-03 §2.2 (what Chromium
 * negotiates as `goog-remb`): a PSFB/AFB message whose FCI is
 *
 *    |  Unique identifier 'R' 'E' 'M' 'B'                            |
 *    |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 *    |   SSRC feedback                                               |  (Num SSRC times)
 *
 * bitrate = mantissa × 2^exp bit/s, mantissa 18 bits, exp 6 bits.
 */

/** Length in bytes of a REMB with `ssrcCount` SSRCs. */
export function rembLength(ssrcCount: number): number {
  return 20 + 4 * ssrcCount;
}

/**
 * If the RTCP packet at `off` (ending at `end`) is a REMB, returns its bitrate in bit/s,
 * else -1.
 */
export function readRembBitrate(buf: Uint8Array, off: number, end: number): number {
  if (buf[off + 1] !== RtcpType.PSFB || (buf[off]! & 0x1f) !== FeedbackFormat.AFB || end - off < 20) return -1;
  // 'R' 'E' 'M' 'B'
  if (buf[off + 12] !== 0x52 || buf[off + 13] !== 0x45 || buf[off + 14] !== 0x4d || buf[off + 15] !== 0x42) return -1;
  const exp = buf[off + 17]! >> 2;
  const mantissa = ((buf[off + 17]! & 0x03) << 16) | (buf[off + 18]! << 8) | buf[off + 19]!;
  return mantissa * 2 ** exp;
}

/** Number of SSRCs listed by the REMB at `off`. */
export function rembSsrcCount(buf: Uint8Array, off: number): number {
  return buf[off + 16]!;
}

/** The `i`-th SSRC listed by the REMB at `off`. */
export function rembSsrc(buf: Uint8Array, off: number, i: number): number {
  return readU32(buf, off + 20 + 4 * i);
}

/** Writes a REMB at `off` for `ssrcs` (at most 255); returns its length. */
export function writeRemb(buf: Uint8Array, off: number, senderSsrc: number, bitrate: number, ssrcs: ArrayLike<number>): number {
  const n = Math.min(255, ssrcs.length);
  let mantissa = Math.max(0, Math.floor(bitrate));
  let exp = 0;
  while (mantissa > 0x3ffff) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  const len = rembLength(n);
  const words = len / 4 - 1;
  buf[off] = 0x80 | FeedbackFormat.AFB;
  buf[off + 1] = RtcpType.PSFB;
  buf[off + 2] = words >>> 8;
  buf[off + 3] = words;
  writeU32(buf, off + 4, senderSsrc);
  writeU32(buf, off + 8, 0); // media source: unused, 0 (RFC 4585 §6.4)
  buf[off + 12] = 0x52;
  buf[off + 13] = 0x45;
  buf[off + 14] = 0x4d;
  buf[off + 15] = 0x42;
  buf[off + 16] = n;
  buf[off + 17] = (exp << 2) | (mantissa >>> 16);
  buf[off + 18] = mantissa >>> 8;
  buf[off + 19] = mantissa;
  for (let i = 0; i < n; i++) writeU32(buf, off + 20 + 4 * i, ssrcs[i]!);
  return len;
}
