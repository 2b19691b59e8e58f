import { describe, expect, it, vi } from 'vitest';
import { readMarker, readPayloadType, readSequenceNumber, readSsrc, readTimestamp } from './RtpPacket.js';
import { TRANSPORT_CC_EXT_ID } from '../bwe/transportCc.js';
import { PADDING_OCTETS, PADDING_PACKET_SIZE, RtpRewriter } from './RtpRewriter.js';

/** A minimal RTP packet (RFC 3550 §5.1) with a 4-byte payload. */
function rtp(seq: number, ts: number, { pt = 96, ssrc = 0x11223344, marker = false } = {}): Buffer {
  const b = Buffer.alloc(16);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | pt;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc, 8);
  b.write('data', 12);
  return b;
}

function rewriter(ssrc = 0xabcdef01, clock = 90000): RtpRewriter {
  const r = new RtpRewriter(ssrc, clock);
  r.mapPayloadType(100, 96);
  return r;
}

describe('RtpRewriter', () => {
  it('rewrites SSRC, payload type, sequence number and timestamp in place, keeping marker and payload', () => {
    const r = rewriter();
    const p = rtp(1000, 5000, { pt: 100, marker: true });
    expect(r.rewritePacket(p)).toBe(true);
    expect(readSsrc(p)).toBe(0xabcdef01);
    expect(readPayloadType(p)).toBe(96);
    expect(readMarker(p)).toBe(true);
    expect(readSequenceNumber(p)).toBe((1000 + r.seqOffset) & 0xffff);
    expect(readTimestamp(p)).toBe((5000 + r.timestampOffset) >>> 0);
    expect(p.subarray(12).toString()).toBe('data');
  });

  it('drops payload types it does not forward and leaves the packet untouched', () => {
    const r = rewriter();
    const p = rtp(1, 1, { pt: 97 });
    const copy = Buffer.from(p);
    expect(r.rewritePacket(p)).toBe(false);
    expect(p).toEqual(copy);
    r.unmapPayloadType(100);
    expect(r.rewritePacket(rtp(1, 1, { pt: 100 }))).toBe(false);
  });

  it('keeps consecutive output sequence numbers across the input 16-bit wrap', () => {
    const r = rewriter();
    const outs: number[] = [];
    for (const seq of [65533, 65534, 65535, 0, 1, 2]) {
      const p = rtp(seq, 0, { pt: 100 });
      r.rewritePacket(p);
      outs.push(readSequenceNumber(p));
    }
    for (let i = 1; i < outs.length; i++) expect((outs[i]! - outs[i - 1]!) & 0xffff).toBe(1);
  });

  it('keeps timestamp differences across the input 32-bit wrap', () => {
    const r = rewriter();
    const a = rtp(1, 0xffffff00, { pt: 100 });
    const b = rtp(2, 0x00000100, { pt: 100 });
    r.rewritePacket(a);
    r.rewritePacket(b);
    expect((readTimestamp(b) - readTimestamp(a)) >>> 0).toBe(0x200);
  });

  it('continues sequence numbers and advances timestamps by the elapsed time when the source switches', () => {
    const now = vi.spyOn(performance, 'now');
    try {
      const r = rewriter(1, 90000);
      const last = rtp(40000, 1_000_000, { pt: 100 });
      r.rewritePacket(last);
      const lastSeq = readSequenceNumber(last);
      const lastTs = readTimestamp(last);
      now.mockReturnValue(10_000);
      r.switchSource();
      now.mockReturnValue(10_040); // 40 ms later the new source's first packet arrives
      const first = rtp(7, 123, { pt: 100, ssrc: 0x99 });
      r.rewritePacket(first);
      expect(readSequenceNumber(first)).toBe((lastSeq + 1) & 0xffff);
      expect((readTimestamp(first) - lastTs) >>> 0).toBe(3600); // 40 ms at 90 kHz
      expect(readSsrc(first)).toBe(1);
    } finally {
      now.mockRestore();
    }
  });

  it('maps NACKed output sequence numbers back to input ones, but not from before a switch', () => {
    const r = rewriter();
    const p = rtp(500, 0, { pt: 100 });
    r.rewritePacket(p);
    const out = readSequenceNumber(p);
    expect(r.inputSequenceOf(out)).toBe(500);
    expect(r.inputSequenceOf((out + 10) & 0xffff)).toBe(510);
    r.switchSource();
    const q = rtp(9000, 0, { pt: 100 });
    r.rewritePacket(q);
    expect(r.inputSequenceOf(out)).toBe(-1); // belongs to the previous source
    expect(r.inputSequenceOf(readSequenceNumber(q))).toBe(9000);
  });

  it('maps sender-report timestamps onto the output timeline', () => {
    const r = rewriter();
    r.rewritePacket(rtp(1, 1000, { pt: 100 }));
    expect(r.outputTimestampOf(4000)).toBe((4000 + r.timestampOffset) >>> 0);
  });

  it('does not allocate per packet', () => {
    const r = rewriter();
    const p = rtp(1, 1, { pt: 100 });
    for (let i = 0; i < 50_000; i++) r.rewrite(p, 100, i & 0xffff, (i * 3000) >>> 0); // warm up (optimise)
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 2_000_000; i++) r.rewrite(p, 100, i & 0xffff, (i * 3000) >>> 0);
    // Even 16 bytes per packet would be 32 MB; what remains is the test runner's own noise.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(4 * 1024 * 1024);
  });

  describe('padding', () => {
    it('writes a padding-only packet that continues the output, and shifts later packets by one', () => {
      const now = vi.spyOn(performance, 'now');
      try {
        now.mockReturnValue(1000);
        const r = rewriter(0x5555, 90000);
        const a = rtp(100, 9000, { pt: 100, marker: true });
        r.rewritePacket(a);
        const buf = Buffer.alloc(PADDING_PACKET_SIZE);
        expect(r.writePadding(buf, 1010)).toBe(PADDING_PACKET_SIZE);
        expect(buf[0]).toBe(0xa0); // version 2, padding bit
        expect(readPayloadType(buf)).toBe(96);
        expect(readMarker(buf)).toBe(false);
        expect(readSsrc(buf)).toBe(0x5555);
        expect(readSequenceNumber(buf)).toBe((readSequenceNumber(a) + 1) & 0xffff);
        expect((readTimestamp(buf) - readTimestamp(a)) >>> 0).toBe(900); // 10 ms later at 90 kHz
        expect(buf[PADDING_PACKET_SIZE - 1]).toBe(PADDING_OCTETS);
        const b = rtp(101, 12000, { pt: 100 });
        r.rewritePacket(b);
        expect(readSequenceNumber(b)).toBe((readSequenceNumber(a) + 2) & 0xffff);
        expect(r.paddingPackets).toBe(1);
      } finally {
        now.mockRestore();
      }
    });

    it('carries a transport sequence number in a probe cluster packet, at the same size', () => {
      const r = rewriter();
      r.rewritePacket(rtp(7, 0, { pt: 100 }));
      const buf = Buffer.alloc(PADDING_PACKET_SIZE, 0xee);
      expect(r.writePadding(buf, performance.now(), 0x1234)).toBe(PADDING_PACKET_SIZE);
      expect(buf[0]).toBe(0xb0); // version 2, padding and extension bits
      expect([...buf.subarray(12, 20)]).toEqual([0xbe, 0xde, 0, 1, (TRANSPORT_CC_EXT_ID << 4) | 1, 0x12, 0x34, 0]);
      expect(buf[PADDING_PACKET_SIZE - 1]).toBe(PADDING_OCTETS - 8);
      expect(buf.subarray(20, PADDING_PACKET_SIZE - 1).every((b) => b === 0)).toBe(true);
    });

    it('maps NACKed numbers across insertions: media to its input, padding to nothing; a late packet keeps its number', () => {
      const r = rewriter();
      const outs = new Map<number, number>();
      const send = (seq: number): number => {
        const p = rtp(seq, seq * 3000, { pt: 100 });
        r.rewritePacket(p);
        outs.set(seq, readSequenceNumber(p));
        return readSequenceNumber(p);
      };
      const buf = Buffer.alloc(PADDING_PACKET_SIZE);
      send(65534);
      send(65535);
      const pads: number[] = [];
      for (let i = 0; i < 3; i++) {
        r.writePadding(buf);
        pads.push(readSequenceNumber(buf));
      }
      send(1); // 0 is late
      r.writePadding(buf);
      pads.push(readSequenceNumber(buf));
      send(2);
      const late = send(0);
      expect(late).toBe((outs.get(1)! - 1) & 0xffff); // its place, just before 1 (after the padding that preceded 1)
      for (const [inSeq, outSeq] of outs) expect(r.inputSequenceOf(outSeq)).toBe(inSeq);
      for (const pad of pads) expect(r.inputSequenceOf(pad)).toBe(-1);
      // Output numbers are all distinct and consecutive.
      const all = [...outs.values(), ...pads].sort((x, y) => ((x - outs.get(65534)!) & 0xffff) - ((y - outs.get(65534)!) & 0xffff));
      for (let i = 1; i < all.length; i++) expect((all[i]! - all[i - 1]!) & 0xffff).toBe(1);
    });

    it('writes nothing before the first packet, and restarts its bookkeeping on a source switch', () => {
      const r = rewriter();
      const buf = Buffer.alloc(PADDING_PACKET_SIZE);
      expect(r.writePadding(buf)).toBe(0);
      const a = rtp(10, 0, { pt: 100 });
      r.rewritePacket(a);
      r.writePadding(buf);
      r.switchSource();
      const b = rtp(500, 0, { pt: 100 });
      r.rewritePacket(b);
      expect(readSequenceNumber(b)).toBe((readSequenceNumber(buf) + 1) & 0xffff);
      expect(r.inputSequenceOf(readSequenceNumber(b))).toBe(500);
      expect(r.inputSequenceOf(readSequenceNumber(a))).toBe(-1); // before the switch
    });
  });
});
