import { readU32, writeU32 } from '../rtp/RtpPacket.js';
import { FeedbackFormat, RtcpType } from './RtcpPacket.js';

/**
 * Feedback messages, RFC 4585 §6.1 common format:
 *
 *    |V=2|P|   FMT   |       PT      |          length               |
 *    |                  SSRC of packet sender                        |
 *    |                  SSRC of media source                         |
 *    :            Feedback Control Information (FCI)                 :
 */

/** Length of a PLI in bytes. */
export const PLI_LENGTH = 12;

/** Writes a Picture Loss Indication (RFC 4585 §6.3.1) at `off`; returns its length (12). */
export function writePli(buf: Uint8Array, off: number, senderSsrc: number, mediaSsrc: number): number {
  buf[off] = 0x80 | FeedbackFormat.PLI;
  buf[off + 1] = RtcpType.PSFB;
  buf[off + 2] = 0;
  buf[off + 3] = 2;
  writeU32(buf, off + 4, senderSsrc);
  writeU32(buf, off + 8, mediaSsrc);
  return PLI_LENGTH;
}

/** "SSRC of media source" of the feedback message at `off`. */
export function feedbackMediaSsrc(buf: Uint8Array, off: number): number {
  return readU32(buf, off + 8);
}

/** True when the RTCP packet at `off` (ending at `end`) is a PLI for `mediaSsrc`. */
export function isPliFor(buf: Uint8Array, off: number, end: number, mediaSsrc: number): boolean {
  return buf[off + 1] === RtcpType.PSFB && (buf[off]! & 0x1f) === FeedbackFormat.PLI && end - off >= PLI_LENGTH && readU32(buf, off + 8) === mediaSsrc;
}

/**
 * True when the RTCP packet at `off` (ending at `end`) is a FIR (RFC 5104 §4.3.1) with an FCI
 * entry for `mediaSsrc` (FIR names its targets in the FCI, the media-source field is 0).
 */
export function isFirFor(buf: Uint8Array, off: number, end: number, mediaSsrc: number): boolean {
  if (buf[off + 1] !== RtcpType.PSFB || (buf[off]! & 0x1f) !== FeedbackFormat.FIR) return false;
  for (let p = off + 12; p + 8 <= end; p += 8) {
    if (readU32(buf, p) === mediaSsrc) return true;
  }
  return false;
}

/** Receives the sequence numbers of a NACK, one call each (no closure, no array). */
export interface NackSink {
  onNackedSequence(seq: number): void;
}

/**
 * If the RTCP packet at `off` (ending at `end`) is a generic NACK (RFC 4585 §6.2.1) for
 * `mediaSsrc`, calls `sink.onNackedSequence` for every lost packet it names and returns how many;
 * otherwise returns -1. Each FCI entry is PID (16 bits) + BLP (bitmask of the 16 following).
 */
export function forEachNacked(buf: Uint8Array, off: number, end: number, mediaSsrc: number, sink: NackSink): number {
  if (buf[off + 1] !== RtcpType.RTPFB || (buf[off]! & 0x1f) !== FeedbackFormat.NACK) return -1;
  if (end - off < 12 || readU32(buf, off + 8) !== mediaSsrc) return -1;
  let count = 0;
  for (let p = off + 12; p + 4 <= end; p += 4) {
    const pid = (buf[p]! << 8) | buf[p + 1]!;
    let blp = (buf[p + 2]! << 8) | buf[p + 3]!;
    sink.onNackedSequence(pid);
    count++;
    for (let bit = 1; blp !== 0; bit++, blp >>>= 1) {
      if (blp & 1) {
        sink.onNackedSequence((pid + bit) & 0xffff);
        count++;
      }
    }
  }
  return count;
}

/**
 * Writes a generic NACK (RFC 4585 §6.2.1) for the given sequence numbers at `off`; returns its
 * length. Sequence numbers must be sorted (mod 2^16) — consecutive ones within 16 share an entry.
 */
export function writeNack(buf: Uint8Array, off: number, senderSsrc: number, mediaSsrc: number, seqs: readonly number[]): number {
  let p = off + 12;
  let i = 0;
  while (i < seqs.length) {
    const pid = seqs[i]! & 0xffff;
    let blp = 0;
    i++;
    while (i < seqs.length) {
      const d = (seqs[i]! - pid) & 0xffff;
      if (d < 1 || d > 16) break;
      blp |= 1 << (d - 1);
      i++;
    }
    buf[p] = pid >>> 8;
    buf[p + 1] = pid;
    buf[p + 2] = blp >>> 8;
    buf[p + 3] = blp;
    p += 4;
  }
  const words = (p - off) / 4 - 1;
  buf[off] = 0x80 | FeedbackFormat.NACK;
  buf[off + 1] = RtcpType.RTPFB;
  buf[off + 2] = words >>> 8;
  buf[off + 3] = words;
  writeU32(buf, off + 4, senderSsrc);
  writeU32(buf, off + 8, mediaSsrc);
  return p - off;
}
