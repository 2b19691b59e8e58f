import { describe, expect, it } from 'vitest';
import { PADDING_PACKET_SIZE } from '../rtp/RtpRewriter.js';
import { PaddingPacer } from './PaddingPacer.js';

describe('PaddingPacer', () => {
  it('owes the probe rate over time in whole packets, in bursts at most every 100 ms', () => {
    const p = new PaddingPacer();
    p.owed(0, 0);
    let sent = 0;
    for (let t = 33; t <= 10_000; t += 33) sent += p.owed(200_000, t); // one frame every 33 ms
    const expected = ((200_000 / 8) * 10) / PADDING_PACKET_SIZE; // 10 s at 200 kbit/s
    expect(sent).toBeGreaterThan(expected * 0.97);
    expect(sent).toBeLessThanOrEqual(expected);
    expect(p.owed(200_000, 10_300)).toBeGreaterThan(0);
    expect(p.owed(200_000, 10_350)).toBe(0); // within 100 ms of the last burst
  });

  it('drops the debt when the probe stops, and does not catch up after a pause', () => {
    const p = new PaddingPacer();
    p.owed(0, 0);
    p.owed(300_000, 100);
    expect(p.owed(0, 200)).toBe(0);
    // 5 s without frames: only 400 ms are counted.
    expect(p.owed(300_000, 5200)).toBe(Math.floor(((300_000 / 8) * 0.4) / PADDING_PACKET_SIZE));
  });
});
