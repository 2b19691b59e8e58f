import { describe, expect, it } from 'vitest';
import { ReceiveStatistics } from './ReceiveStatistics.js';

describe('ReceiveStatistics (RFC 3550 §A.1, §A.3)', () => {
  it('counts loss and the extended highest sequence number across a wrap', () => {
    const s = new ReceiveStatistics();
    for (let seq = 65530; seq < 65536 + 10; seq++) if (seq !== 65534 && seq !== 65537) s.update(seq & 0xffff);
    expect(s.extendedHighestSeq).toBe(65536 + 9);
    expect(s.cumulativeLost).toBe(2);
  });

  it('writes a report block with fraction lost, LSR and DLSR', () => {
    const s = new ReceiveStatistics();
    for (let seq = 0; seq < 100; seq++) if (seq % 10 !== 0) s.update(seq);
    s.onSenderReport(0x12345678, 1000);
    const b = Buffer.alloc(24);
    expect(s.writeReportBlock(b, 0, 0xcafe, 1500)).toBe(true);
    expect(b.readUInt32BE(0)).toBe(0xcafe);
    expect(b[4]).toBe(Math.floor((9 * 256) / 99)); // 9 of 99 expected (first is seq 1)
    expect(b.readUIntBE(5, 3)).toBe(9);
    expect(b.readUInt32BE(8)).toBe(99);
    expect(b.readUInt32BE(16)).toBe(0x12345678);
    expect(b.readUInt32BE(20)).toBe(32768); // 0.5 s in 1/65536 s
    // Next interval: nothing lost.
    for (let seq = 100; seq < 110; seq++) s.update(seq);
    s.writeReportBlock(b, 0, 0xcafe, 1500);
    expect(b[4]).toBe(0);
  });

  it('writes nothing before the first packet', () => {
    expect(new ReceiveStatistics().writeReportBlock(Buffer.alloc(24), 0, 1)).toBe(false);
  });
});
