import { describe, expect, it } from 'vitest';
import { ProbeClusters } from './ProbeClusters.js';

function clusters(): { probes: ProbeClusters; results: number[] } {
  const probes = new ProbeClusters();
  const results: number[] = [];
  probes.onResult = (bitrate) => results.push(bitrate);
  probes.enabled = true;
  return { probes, results };
}

describe('ProbeClusters', () => {
  it('measures the bytes after the first over the arrival spread', () => {
    const { probes, results } = clusters();
    const first = probes.begin(5, 250, 0);
    expect(first).toBeGreaterThanOrEqual(0);
    // A 1 Mbit/s bottleneck spaces 250-byte packets 2 ms apart.
    for (let i = 0; i < 5; i++) probes.onPacketStatus((first + i) & 0xffff, true, 1_000_000 + i * 2000);
    expect(results).toEqual([1_000_000]);
  });

  it('caps a back-to-back arrival at the feedback resolution, and ignores repeated and foreign statuses', () => {
    const { probes, results } = clusters();
    const first = probes.begin(4, 250, 0);
    probes.onPacketStatus((first - 1) & 0xffff, true, 0); // an earlier cluster's
    probes.onPacketStatus(first, true, 500);
    probes.onPacketStatus(first, true, 90_000); // reported twice
    for (let i = 1; i < 4; i++) probes.onPacketStatus((first + i) & 0xffff, true, 500);
    expect(results).toEqual([(3 * 250 * 8 * 1e6) / 1000]);
  });

  it('reports 0 for a cluster that lost more than a quarter of its packets', () => {
    const { probes, results } = clusters();
    const first = probes.begin(4, 250, 0);
    probes.onPacketStatus(first, true, 0);
    probes.onPacketStatus((first + 1) & 0xffff, false, 0);
    probes.onPacketStatus((first + 2) & 0xffff, false, 0);
    probes.onPacketStatus((first + 3) & 0xffff, true, 4000);
    expect(results).toEqual([0]);
  });

  it('runs one cluster at a time, gives up a silent one after a second, and sends nothing until enabled', () => {
    const { probes } = clusters();
    const a = probes.begin(3, 250, 0);
    expect(probes.begin(3, 250, 500)).toBe(-1);
    const b = probes.begin(3, 250, 1000);
    expect(b).toBe((a + 3) & 0xffff);
    const off = new ProbeClusters();
    expect(off.begin(3, 250, 0)).toBe(-1);
    expect(probes.counts).toEqual({ sent: 2, measured: 0 });
  });

  it('measures a cluster cut short on the packets actually sent', () => {
    const { probes, results } = clusters();
    const first = probes.begin(10, 250, 0);
    probes.truncate(2);
    probes.onPacketStatus(first, true, 0);
    probes.onPacketStatus((first + 1) & 0xffff, true, 2000);
    expect(results).toEqual([1_000_000]);
  });
});
