import { readU32, writeU32 } from '../rtp/RtpPacket.js';
import { RtcpType } from './RtcpPacket.js';

/**
 * Sender and receiver reports, RFC 3550 §6.4.
 *
 * Sender report (PT 200):
 *
 *    |V=2|P|    RC   |   PT=SR=200   |             length            |
 *    |                         SSRC of sender                        |
 *    |              NTP timestamp, most significant word             |
 *    |             NTP timestamp, least significant word             |
 *    |                         RTP timestamp                         |
 *    |                     sender's packet count                     |
 *    |                      sender's octet count                     |
 *    :                  report blocks (24 bytes each)                :
 */

/** Length of a sender report without report blocks. */
export const SR_LENGTH = 28;
/** Length of one report block. */
export const REPORT_BLOCK_LENGTH = 24;

/** True when the RTCP packet at `off` (ending at `end`) is a sender report. */
export function isSenderReport(buf: Uint8Array, off: number, end: number): boolean {
  return buf[off + 1] === RtcpType.SR && end - off >= SR_LENGTH;
}

/** SSRC of the sender of the RTCP packet at `off`. */
export function rtcpSenderSsrc(buf: Uint8Array, off: number): number {
  return readU32(buf, off + 4);
}

/** Middle 32 bits of the SR's NTP timestamp at `off` (the LSR field of report blocks). */
export function senderReportNtpMiddle(buf: Uint8Array, off: number): number {
  return ((buf[off + 10]! << 24) | (buf[off + 11]! << 16) | (buf[off + 12]! << 8) | buf[off + 13]!) >>> 0;
}

/** RTP timestamp of the SR at `off`. */
export function senderReportRtpTimestamp(buf: Uint8Array, off: number): number {
  return readU32(buf, off + 16);
}

/**
 * Translates the sender report at `srcOff` of `src` for one subscriber into `dst` (28 bytes,
 * no report blocks): same NTP time, RTP timestamp moved to the subscriber's timeline, the
 * forwarded stream's SSRC and counts. Chromium pairs the NTP/RTP couple of an audio and a video
 * SR of the same stream to synchronise playout, so copying the publisher's pair (rather than
 * inventing one) keeps lip-sync exact.
 */
export function translateSenderReport(
  src: Uint8Array,
  srcOff: number,
  dst: Uint8Array,
  ssrc: number,
  rtpTimestamp: number,
  packetCount: number,
  octetCount: number,
): number {
  dst[0] = 0x80; // V=2, no padding, RC=0
  dst[1] = RtcpType.SR;
  dst[2] = 0;
  dst[3] = SR_LENGTH / 4 - 1;
  writeU32(dst, 4, ssrc);
  for (let i = 8; i < 16; i++) dst[i] = src[srcOff + i]!; // NTP timestamp
  writeU32(dst, 16, rtpTimestamp);
  writeU32(dst, 20, packetCount);
  writeU32(dst, 24, octetCount);
  return SR_LENGTH;
}

/** Writes a receiver report header for `blockCount` blocks (to be written after it); returns 8. */
export function writeReceiverReportHeader(buf: Uint8Array, off: number, senderSsrc: number, blockCount: number): number {
  const words = (8 + blockCount * REPORT_BLOCK_LENGTH) / 4 - 1;
  buf[off] = 0x80 | (blockCount & 0x1f);
  buf[off + 1] = RtcpType.RR;
  buf[off + 2] = words >>> 8;
  buf[off + 3] = words;
  writeU32(buf, off + 4, senderSsrc);
  return 8;
}

/**
 * The fraction-lost byte (0–255) of the report block about `ssrc` in the SR or RR at `off`
 * (ending at `end`), or -1 when the packet is neither or has no block about it.
 *
 * Report block: SSRC (4) | fraction lost (1) | cumulative lost (3) | highest seq (4) | jitter (4) | LSR (4) | DLSR (4).
 */
export function reportedFractionLost(buf: Uint8Array, off: number, end: number, ssrc: number): number {
  const pt = buf[off + 1];
  let block: number;
  if (pt === RtcpType.RR) block = off + 8;
  else if (pt === RtcpType.SR) block = off + SR_LENGTH;
  else return -1;
  const count = buf[off]! & 0x1f;
  for (let i = 0; i < count && block + REPORT_BLOCK_LENGTH <= end; i++, block += REPORT_BLOCK_LENGTH) {
    if (readU32(buf, block) === ssrc) return buf[block + 4]!;
  }
  return -1;
}
