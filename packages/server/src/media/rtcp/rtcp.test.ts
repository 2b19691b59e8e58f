import { describe, expect, it } from 'vitest';
import { describeRtcp } from './describe.js';
import { forEachNacked, isFirFor, isPliFor, writeNack, writePli } from './feedback.js';
import { nextRtcpPacket } from './RtcpPacket.js';
import { readRembBitrate, writeRemb } from './remb.js';
import { REPORT_BLOCK_LENGTH, translateSenderReport, writeReceiverReportHeader } from './reports.js';

/**
 * A compound packet as Chromium sends it for a video sender (RFC 3550 §6.1): SR (no report
 * blocks) + SDES with a CNAME item "mqhVM7nHxT2imo8b".
 */
const CHROMIUM_SR_SDES = Buffer.from(
  '80c80006a07d6fe2' + // SR, length 6, SSRC
    'eb0f6a1e3c28f5c2' + // NTP timestamp
    '2f4b1a00' + // RTP timestamp
    '000001f4' + // packet count 500
    '0007a120' + // octet count 500000
    '81ca0006a07d6fe2' + // SDES, 1 chunk, length 6, SSRC
    '01106d7168564d376e48785432696d6f3862' + // CNAME, 16 bytes
    '0000', // end + padding to a word
  'hex',
);

/** RR with one report block + REMB, as a Chromium receiver sends them together. */
function rrPlusRemb(mediaSsrc: number, bitrate: number): Buffer {
  const b = Buffer.alloc(8 + REPORT_BLOCK_LENGTH + 24);
  writeReceiverReportHeader(b, 0, 1, 1);
  b.writeUInt32BE(mediaSsrc, 8);
  writeRemb(b, 8 + REPORT_BLOCK_LENGTH, 1, bitrate, [mediaSsrc]);
  return b;
}

describe('RTCP compound packets (RFC 3550 §6.1)', () => {
  it('walks a Chromium SR + SDES compound packet', () => {
    expect(nextRtcpPacket(CHROMIUM_SR_SDES, 0, CHROMIUM_SR_SDES.length)).toBe(28);
    expect(nextRtcpPacket(CHROMIUM_SR_SDES, 28, CHROMIUM_SR_SDES.length)).toBe(CHROMIUM_SR_SDES.length);
    const [sr, sdes] = describeRtcp(CHROMIUM_SR_SDES);
    expect(sr).toEqual({
      type: 'SR',
      ssrc: 0xa07d6fe2,
      ntpMsw: 0xeb0f6a1e,
      ntpLsw: 0x3c28f5c2,
      rtpTimestamp: 0x2f4b1a00,
      packets: 500,
      octets: 500000,
      reports: 0,
    });
    expect(sdes).toEqual({ type: 'SDES', length: 28 });
  });

  it('walks RR + REMB', () => {
    const b = rrPlusRemb(0x1234, 1_500_000);
    const parts = describeRtcp(b);
    expect(parts.map((p) => p.type)).toEqual(['RR', 'REMB']);
    expect(parts[1]).toMatchObject({ type: 'REMB', ssrcs: [0x1234] });
  });

  it('rejects truncated or non-RTCP data', () => {
    expect(nextRtcpPacket(CHROMIUM_SR_SDES, 0, 20)).toBe(-1); // length overruns
    expect(nextRtcpPacket(Buffer.from('80600001', 'hex'), 0, 4)).toBe(-1); // RTP, PT 96
    expect(nextRtcpPacket(Buffer.from('40c80000', 'hex'), 0, 4)).toBe(-1); // version 1
    expect(() => describeRtcp(CHROMIUM_SR_SDES.subarray(0, 30))).toThrow(TypeError);
  });
});

describe('feedback messages (RFC 4585, RFC 5104)', () => {
  it('builds the 12-byte PLI Chromium answers with a keyframe', () => {
    const b = Buffer.alloc(12);
    expect(writePli(b, 0, 0x01020304, 0xa0b0c0d0)).toBe(12);
    expect(b.toString('hex')).toBe('81ce000201020304a0b0c0d0');
    expect(isPliFor(b, 0, 12, 0xa0b0c0d0)).toBe(true);
    expect(isPliFor(b, 0, 12, 0x1)).toBe(false); // for another track of the compound packet
    expect(describeRtcp(b)).toEqual([{ type: 'PLI', sender: 0x01020304, media: 0xa0b0c0d0 }]);
  });

  it('recognises a FIR by its FCI target', () => {
    const fir = Buffer.from('84ce0004' + '00000001' + '00000000' + 'a0b0c0d0' + '07000000', 'hex');
    expect(isFirFor(fir, 0, fir.length, 0xa0b0c0d0)).toBe(true);
    expect(isFirFor(fir, 0, fir.length, 0x1)).toBe(false);
  });

  it('round-trips a generic NACK with PID + BLP entries', () => {
    const lost = [100, 101, 105, 116, 117, 200, 65535];
    const b = Buffer.alloc(64);
    const len = writeNack(b, 0, 7, 0xabc, lost.slice(0, 6));
    const got: number[] = [];
    expect(forEachNacked(b, 0, len, 0xabc, { onNackedSequence: (s) => got.push(s) })).toBe(6);
    expect(got).toEqual([100, 101, 105, 116, 117, 200]);
    expect(forEachNacked(b, 0, len, 0xdef, { onNackedSequence: () => {} })).toBe(-1);
  });

  it('expands a NACK whose bitmask crosses the sequence-number wrap', () => {
    const b = Buffer.from('81cd0003' + '00000001' + '00000abc' + 'fffe0003', 'hex');
    const got: number[] = [];
    forEachNacked(b, 0, b.length, 0xabc, { onNackedSequence: (s) => got.push(s) });
    expect(got).toEqual([65534, 65535, 0]);
  });
});

describe('REMB (draft-alvestrand-rmcat-remb-03)', () => {
  it.each([0, 1, 262143, 262144, 1_500_000, 30_000_000])('round-trips %d bit/s within mantissa precision', (bitrate) => {
    const b = Buffer.alloc(64);
    const len = writeRemb(b, 0, 1, bitrate, [5, 6]);
    expect(len).toBe(28);
    const got = readRembBitrate(b, 0, len);
    expect(got).toBeLessThanOrEqual(bitrate);
    expect(bitrate - got).toBeLessThanOrEqual(bitrate / 2 ** 17);
  });

  it('parses the bytes of a Chromium REMB', () => {
    // exp 4, mantissa 0x1c9c3 → 117187 × 16 = 1874992 bit/s, one SSRC
    const b = Buffer.from('8fce0005' + '00000001' + '00000000' + '52454d42' + '0111c9c3' + 'a07d6fe2', 'hex');
    expect(readRembBitrate(b, 0, b.length)).toBe(0x1c9c3 * 16);
    expect(describeRtcp(b)).toEqual([{ type: 'REMB', sender: 1, bitrate: 0x1c9c3 * 16, ssrcs: [0xa07d6fe2] }]);
  });
});

describe('sender report translation (RFC 3550 §6.4.1)', () => {
  it('copies the NTP time, moves the RTP timestamp and rewrites SSRC and counts', () => {
    const out = Buffer.alloc(28);
    translateSenderReport(CHROMIUM_SR_SDES, 0, out, 0x55667788, 0x10, 42, 4200);
    expect(describeRtcp(out)).toEqual([
      { type: 'SR', ssrc: 0x55667788, ntpMsw: 0xeb0f6a1e, ntpLsw: 0x3c28f5c2, rtpTimestamp: 0x10, packets: 42, octets: 4200, reports: 0 },
    ]);
  });
});
