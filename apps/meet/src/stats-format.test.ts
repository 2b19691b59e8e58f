import { describe, expect, it } from 'vitest';
import { formatTileStats, tileStats } from './stats-format.js';

describe('tile stats line', () => {
  it('sums the bit rates of a received stream, keeps the worst loss and the round trip, and shows mosAV', () => {
    const s = tileStats({
      audioReceived: { bitsReceivedPerSecond: 40_000, packetLossRatio: 0.01, delay: 20 },
      videoReceived: { bitsReceivedPerSecond: 1_160_000, packetLossRatio: 0.002, delay: 20 },
      quality: { mosAV: 4.12, mosSAV: 'NoStream' },
    });
    expect(s).toEqual({ bitRate: 1_200_000, loss: 0.01, rtt: 20, mos: 4.12 });
    expect(formatTileStats(s)).toBe('1.2 Mb/s · loss 1.0 % · RTT 20 ms · MOS 4.1');
  });

  it('reads a sent stream (mosSAV) and leaves out what is unknown', () => {
    const s = tileStats({ audioSent: { bitsSentPerSecond: 32_000, packetLossRatio: 0 }, quality: { mosSAV: 4.4 } });
    expect(formatTileStats(s)).toBe('32 kb/s · loss 0.0 % · MOS 4.4');
    expect(formatTileStats(tileStats({}))).toBe('0 kb/s · loss 0.0 %');
  });
});
