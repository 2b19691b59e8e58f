import { describe, expect, it } from 'vitest';
import { LayerSelector } from './LayerSelector.js';

const BITRATES = [100_000, 300_000, 900_000];
const ALL = [true, true, true];
const inputs = (estimate: number, preferred = 2, active = ALL) => ({ preferred, estimate, bitrates: BITRATES, active });

describe('LayerSelector', () => {
  it('takes the highest wanted layer without an estimate, and no more than the preferred one', () => {
    expect(new LayerSelector().select(inputs(0), 0)).toBe(2);
    expect(new LayerSelector().select(inputs(0, 0), 0)).toBe(0);
    expect(new LayerSelector().select(inputs(5_000_000, 1), 0)).toBe(1);
  });

  it('goes down at once to the highest layer the estimate fits, and to the lowest when none fits', () => {
    const s = new LayerSelector();
    s.select(inputs(0), 0);
    expect(s.select(inputs(400_000), 100)).toBe(1);
    expect(s.select(inputs(50_000), 200)).toBe(0);
  });

  it('goes up only with headroom (hysteresis)', () => {
    const s = new LayerSelector({ upHeadroom: 1.2, trialBackoffMs: 1e9 });
    s.select(inputs(0), 0);
    expect(s.select(inputs(200_000), 0)).toBe(0);
    expect(s.select(inputs(330_000), 10)).toBe(0); // 300k fits but without 20 % headroom
    expect(s.select(inputs(360_000), 20)).toBe(1);
    expect(s.select(inputs(310_000), 30)).toBe(1); // fits: stays
  });

  it('skips layers that do not arrive, and falls back to any arriving layer', () => {
    const s = new LayerSelector();
    expect(s.select(inputs(0, 2, [true, true, false]), 0)).toBe(1);
    expect(s.select(inputs(0, 0, [false, true, false]), 1)).toBe(1);
  });

  it('tries the next layer when the estimate is saturated, keeps it while the estimate climbs, confirms it when it caught up', () => {
    const s = new LayerSelector({ trialBackoffMs: 3000, saturation: 1.3 });
    s.select(inputs(0), 0);
    expect(s.select(inputs(160_000), 0)).toBe(0); // capped near 1.5 × what it receives
    expect(s.select(inputs(160_000), 2000)).toBe(0); // back-off not over
    expect(s.select(inputs(160_000), 3000)).toBe(1); // trial
    expect(s.select(inputs(200_000), 4000)).toBe(1); // below 300k but rising: kept
    expect(s.select(inputs(320_000), 5000)).toBe(1); // caught up: confirmed
    expect(s.select(inputs(250_000), 6000)).toBe(0); // the layer did not hold: down, and a longer wait
    expect(s.trialBackoffMs).toBe(6000);
    expect(s.select(inputs(160_000), 10_000)).toBe(0);
    expect(s.select(inputs(160_000), 12_000)).toBe(1); // 6 s after the fall
    expect(s.select(inputs(400_000), 13_000)).toBe(1);
    expect(s.select(inputs(350_000), 42_000)).toBe(1); // held 30 s: the back-off resets
    expect(s.trialBackoffMs).toBe(3000);
  });

  it('ends a trial when the estimate falls, and doubles the wait before the next one', () => {
    const s = new LayerSelector({ trialBackoffMs: 3000, saturation: 1.3, trialDrop: 0.9 });
    s.select(inputs(0), 0);
    s.select(inputs(160_000), 0);
    expect(s.select(inputs(160_000), 3000)).toBe(1);
    expect(s.select(inputs(130_000), 4000)).toBe(0); // over-use: the receiver cut its estimate
    expect(s.trialBackoffMs).toBe(6000);
    expect(s.select(inputs(160_000), 8000)).toBe(0); // 4 s later: still waiting
    expect(s.select(inputs(160_000), 10_000)).toBe(1); // 6 s later: tried again
  });
});
