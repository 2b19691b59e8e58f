import { describe, expect, it } from 'vitest';
import { writeRedPrimary } from './red.js';

/** RTP header (PT 63, marker) + optional one-word extension + RED payload + optional padding. */
function redPacket(payload: number[], { extension = false, padding = 0 } = {}): Buffer {
  const header = [0x80 | (extension ? 0x10 : 0) | (padding ? 0x20 : 0), 0x80 | 63, 0x12, 0x34, 0, 0, 0x03, 0xc0, 0xde, 0xad, 0xbe, 0xef];
  const ext = extension ? [0xbe, 0xde, 0, 1, 0x10, 0x7f, 0, 0] : [];
  const pad = padding ? [...Array<number>(padding - 1).fill(0), padding] : [];
  return Buffer.from([...header, ...ext, ...payload, ...pad]);
}

describe('RED (RFC 2198) primary block', () => {
  it('keeps the header, takes the primary payload type and data past one redundant block', () => {
    // One redundant block: PT 111, offset 960, length 3; primary PT 111; data: 3 redundant bytes then the primary's 2.
    const red = redPacket([0x80 | 111, (960 >> 6) & 0xff, ((960 & 0x3f) << 2) | 0, 3, 111, 0xa1, 0xa2, 0xa3, 0xb1, 0xb2], { extension: true });
    const out = Buffer.alloc(1500);
    const len = writeRedPrimary(red, out);
    expect(len).toBe(12 + 8 + 2);
    expect(out[1]).toBe(0x80 | 111); // marker kept, Opus payload type
    expect(out.subarray(2, 20)).toEqual(red.subarray(2, 20)); // sequence, timestamp, SSRC, extension
    expect([...out.subarray(20, len)]).toEqual([0xb1, 0xb2]);
  });

  it('reads a primary-only payload (no redundancy yet) and drops padding', () => {
    const red = redPacket([111, 0xc1, 0xc2, 0xc3], { padding: 4 });
    const out = Buffer.alloc(1500);
    const len = writeRedPrimary(red, out);
    expect(len).toBe(15);
    expect(out[0]! & 0x20).toBe(0);
    expect([...out.subarray(12, len)]).toEqual([0xc1, 0xc2, 0xc3]);
  });

  it('refuses blocks that overrun the packet, an empty payload and a too small output', () => {
    const out = Buffer.alloc(1500);
    expect(writeRedPrimary(redPacket([0x80 | 111, 0, 0, 200, 111, 1]), out)).toBe(-1);
    expect(writeRedPrimary(redPacket([0x80 | 111, 0]), out)).toBe(-1);
    expect(writeRedPrimary(redPacket([]), out)).toBe(-1);
    expect(writeRedPrimary(redPacket([111, 1, 2, 3]), Buffer.alloc(8))).toBe(-1);
  });
});
