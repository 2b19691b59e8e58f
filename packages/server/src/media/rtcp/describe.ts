import { readU32 } from '../rtp/RtpPacket.js';
import { FeedbackFormat, nextRtcpPacket, RtcpType } from './RtcpPacket.js';
import { forEachNacked } from './feedback.js';
import { readRembBitrate, rembSsrc, rembSsrcCount } from './remb.js';

/** One RTCP packet, decoded for tests and diagnostics (allocates; not for the hot path). */
export type RtcpSummary =
  | { type: 'SR'; ssrc: number; ntpMsw: number; ntpLsw: number; rtpTimestamp: number; packets: number; octets: number; reports: number }
  | { type: 'RR'; ssrc: number; reports: number }
  | { type: 'SDES' | 'BYE'; length: number }
  | { type: 'PLI'; sender: number; media: number }
  | { type: 'FIR'; sender: number; targets: number[] }
  | { type: 'NACK'; sender: number; media: number; seqs: number[] }
  | { type: 'REMB'; sender: number; bitrate: number; ssrcs: number[] }
  | { type: 'other'; pt: number; fmt: number; length: number };

/**
 * Splits a compound RTCP packet (RFC 3550 §6.1) and decodes what the SFU understands.
 * Throws a TypeError on a malformed compound packet.
 */
export function describeRtcp(buf: Uint8Array): RtcpSummary[] {
  const out: RtcpSummary[] = [];
  const len = buf.length;
  let off = 0;
  while (off < len) {
    const end = nextRtcpPacket(buf, off, len);
    if (end < 0) throw new TypeError(`malformed RTCP at byte ${off}`);
    const pt = buf[off + 1]!;
    const fmt = buf[off]! & 0x1f;
    if (pt === RtcpType.SR) {
      out.push({
        type: 'SR',
        ssrc: readU32(buf, off + 4),
        ntpMsw: readU32(buf, off + 8),
        ntpLsw: readU32(buf, off + 12),
        rtpTimestamp: readU32(buf, off + 16),
        packets: readU32(buf, off + 20),
        octets: readU32(buf, off + 24),
        reports: fmt,
      });
    } else if (pt === RtcpType.RR) {
      out.push({ type: 'RR', ssrc: readU32(buf, off + 4), reports: fmt });
    } else if (pt === RtcpType.SDES || pt === RtcpType.BYE) {
      out.push({ type: pt === RtcpType.SDES ? 'SDES' : 'BYE', length: end - off });
    } else if (pt === RtcpType.PSFB && fmt === FeedbackFormat.PLI) {
      out.push({ type: 'PLI', sender: readU32(buf, off + 4), media: readU32(buf, off + 8) });
    } else if (pt === RtcpType.PSFB && fmt === FeedbackFormat.FIR) {
      const targets: number[] = [];
      for (let p = off + 12; p + 8 <= end; p += 8) targets.push(readU32(buf, p));
      out.push({ type: 'FIR', sender: readU32(buf, off + 4), targets });
    } else if (pt === RtcpType.RTPFB && fmt === FeedbackFormat.NACK) {
      const seqs: number[] = [];
      forEachNacked(buf, off, end, readU32(buf, off + 8), { onNackedSequence: (s) => seqs.push(s) });
      out.push({ type: 'NACK', sender: readU32(buf, off + 4), media: readU32(buf, off + 8), seqs });
    } else if (readRembBitrate(buf, off, end) >= 0) {
      const ssrcs: number[] = [];
      for (let i = 0; i < rembSsrcCount(buf, off); i++) ssrcs.push(rembSsrc(buf, off, i));
      out.push({ type: 'REMB', sender: readU32(buf, off + 4), bitrate: readRembBitrate(buf, off, end), ssrcs });
    } else {
      out.push({ type: 'other', pt, fmt, length: end - off });
    }
    off = end;
  }
  return out;
}
