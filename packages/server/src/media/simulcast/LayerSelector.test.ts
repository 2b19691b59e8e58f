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
    const s = new LayerSelector({ upHeadroom: 1.2, probeBackoffMs: 1e9 });
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

  it('probes with padding when the estimate is saturated, and moves up once the estimate shows room for the next layer', () => {
    const s = new LayerSelector({ probeBackoffMs: 3000, saturation: 1.3, probeFill: 0.8, upHeadroom: 1.15 });
    s.select(inputs(0), 0);
    expect(s.select(inputs(160_000), 0)).toBe(0); // capped near 1.5 × what it receives
    expect(s.paddingRate).toBe(0);
    expect(s.select(inputs(160_000), 2000)).toBe(0); // back-off not over
    expect(s.probing).toBe(false);
    expect(s.select(inputs(160_000), 3000)).toBe(0); // probe: no switch, padding instead
    expect(s.probing).toBe(true);
    expect(s.paddingRate).toBe(160_000 * 0.8 - 100_000);
    expect(s.select(inputs(250_000), 5000)).toBe(0);
    expect(s.paddingRate).toBe(250_000 * 0.8 - 100_000); // follows the estimate up
    expect(s.select(inputs(340_000), 9000)).toBe(0); // 300k fits, not yet with 15 % headroom
    expect(s.paddingRate).toBe(340_000 * 0.8 - 100_000);
    expect(s.select(inputs(350_000), 10_000)).toBe(1); // fits with headroom: up, probe over
    expect(s.probing).toBe(false);
    expect(s.paddingRate).toBe(0);
  });

  it('ends a probe when the estimate falls, doubles the wait before the next one, and gives up on a probe that never gets there', () => {
    const s = new LayerSelector({ probeBackoffMs: 3000, saturation: 1.3, probeDrop: 0.9, probeMaxMs: 20_000 });
    s.select(inputs(0), 0);
    s.select(inputs(160_000), 0);
    s.select(inputs(160_000), 3000);
    expect(s.probing).toBe(true);
    s.select(inputs(200_000), 4000);
    expect(s.select(inputs(170_000), 5000)).toBe(0); // below 90 % of the 200k reached: over-use
    expect(s.probing).toBe(false);
    expect(s.paddingRate).toBe(0);
    expect(s.probeBackoffMs).toBe(6000);
    s.select(inputs(160_000), 10_000);
    expect(s.probing).toBe(false); // 5 s after the end: still waiting
    s.select(inputs(160_000), 11_000);
    expect(s.probing).toBe(true); // 6 s after: probing again
    s.select(inputs(200_000), 20_000);
    expect(s.probing).toBe(true);
    s.select(inputs(200_000), 31_000); // 20 s of probing without reaching 345k
    expect(s.probing).toBe(false);
    expect(s.probeBackoffMs).toBe(12_000);
  });

  it('a layer that does not hold after moving up means a longer wait; holding one 30 s resets it', () => {
    const s = new LayerSelector({ probeBackoffMs: 3000 });
    s.select(inputs(0), 0);
    s.select(inputs(160_000), 0);
    expect(s.select(inputs(400_000), 1000)).toBe(1);
    expect(s.select(inputs(250_000), 2000)).toBe(1); // a dip: not yet
    expect(s.select(inputs(250_000), 4500)).toBe(0); // below for 2.5 s, within 30 s of moving up
    expect(s.probeBackoffMs).toBe(6000);
    expect(s.select(inputs(400_000), 5000)).toBe(1);
    expect(s.select(inputs(350_000), 36_000)).toBe(1);
    expect(s.probeBackoffMs).toBe(3000);
  });

  it('does not probe on the top wanted layer, nor while congested', () => {
    const s = new LayerSelector({ probeBackoffMs: 0 });
    s.select(inputs(0, 1), 0);
    expect(s.select(inputs(400_000, 1), 10_000)).toBe(1);
    expect(s.probing).toBe(false);
    const t = new LayerSelector({ probeBackoffMs: 0, saturation: 1.3 });
    t.select(inputs(0), 0);
    t.select(inputs(120_000), 0); // 1.2 × the low layer: not saturated
    expect(t.select(inputs(120_000), 10_000)).toBe(0);
    expect(t.probing).toBe(false);
  });

  it('rides out a short dip of the estimate below the layer, not a long or a deep one', () => {
    const s = new LayerSelector({ downHoldMs: 2500, severeDrop: 0.7 });
    s.select(inputs(0), 0);
    s.select(inputs(1_200_000), 0);
    expect(s.select(inputs(800_000), 1000)).toBe(2); // 0.89 × the top layer: a dip
    expect(s.select(inputs(870_000), 2000)).toBe(2);
    expect(s.select(inputs(950_000), 3000)).toBe(2); // back above: the dip is forgotten
    expect(s.select(inputs(800_000), 4000)).toBe(2);
    expect(s.select(inputs(800_000), 6500)).toBe(1); // below for 2.5 s
    expect(s.select(inputs(1_200_000), 7000)).toBe(2);
    expect(s.select(inputs(500_000), 7100)).toBe(1); // 0.56 × the layer: at once
  });

  it('sends probe clusters while a higher layer is wanted and the estimate shows no congestion, at most every interval', () => {
    const s = new LayerSelector({ clusterIntervalMs: 2000, probeBackoffMs: 1e9 });
    expect(s.clusterDue(0)).toBe(false); // no layer yet
    s.select(inputs(0), 0);
    expect(s.clusterDue(10)).toBe(false); // on the top layer
    s.select(inputs(400_000), 100); // down to the middle layer
    expect(s.clusterDue(200)).toBe(true);
    expect(s.clusterDue(1000)).toBe(false);
    expect(s.clusterDue(2200)).toBe(true);
    s.select(inputs(250_000), 3000); // below the middle layer: congested, wait
    expect(s.clusterDue(4500)).toBe(false);
  });

  it("moves up at once on a cluster that shows room, holds the layer while the REMB climbs, and drops the cluster's word when the REMB falls", () => {
    const s = new LayerSelector({ clusterMargin: 2, clusterValidMs: 5000, clusterIntervalMs: 2000, probeBackoffMs: 1e9 });
    s.select(inputs(0), 0);
    expect(s.select(inputs(400_000), 100)).toBe(1);
    // A 400 kbit/s path measured about so: no room for the top layer.
    s.probed(500_000, 2000);
    expect(s.select(inputs(400_000), 2000)).toBe(1);
    // The limit is gone: the cluster arrives back to back.
    s.probed(32_000_000, 4000);
    expect(s.select(inputs(420_000), 4000)).toBe(2);
    // The REMB lags far below the layer: the cluster holds it, and clusters keep coming to confirm.
    expect(s.select(inputs(460_000), 5000)).toBe(2);
    expect(s.clusterDue(6000)).toBe(true);
    s.probed(32_000_000, 6100);
    expect(s.select(inputs(520_000), 8000)).toBe(2);
    // The receiver saw over-use: its estimate rules again.
    expect(s.select(inputs(300_000), 9000)).toBe(1);
  });

  it('forgets a cluster measurement after clusterValidMs', () => {
    const s = new LayerSelector({ clusterMargin: 2, clusterValidMs: 5000, probeBackoffMs: 1e9, downHoldMs: 2500 });
    s.select(inputs(0), 0);
    s.select(inputs(400_000), 100);
    s.probed(4_000_000, 1000);
    expect(s.select(inputs(700_000), 1000)).toBe(2);
    expect(s.select(inputs(700_000), 5900)).toBe(2);
    expect(s.select(inputs(700_000), 6100)).toBe(2); // expired: a dip below the layer starts
    expect(s.select(inputs(700_000), 8700)).toBe(1); // held below the layer 2.5 s
  });

  it('with clusters, starts on the lowest layer and moves up on the first measurement, before any REMB', () => {
    const s = new LayerSelector({ clusterMargin: 2 });
    expect(s.select(inputs(0), 0)).toBe(2); // before negotiation: no clusters known
    expect(s.select({ ...inputs(0), clusters: true }, 10)).toBe(0);
    expect(s.select({ ...inputs(0), clusters: true }, 20)).toBe(0); // stays there until measured
    expect(s.clusterDue(100)).toBe(true);
    s.probed(32_000_000, 200);
    expect(s.select({ ...inputs(0), clusters: true }, 200)).toBe(2);
    const slow = new LayerSelector({ clusterMargin: 2 });
    slow.select({ ...inputs(0), clusters: true }, 0);
    slow.probed(480_000, 200); // a 400 kbit/s path: room for the middle layer only after the REMB
    expect(slow.select({ ...inputs(0), clusters: true }, 200)).toBe(0);
  });
});
