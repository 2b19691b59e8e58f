import { describe, expect, test } from 'vitest';
import { SegmentationSchedule } from './SegmentationSchedule.js';

describe('SegmentationSchedule', () => {
  test('one segmentation at a time, at most 12 per second', () => {
    const s = new SegmentationSchedule();
    expect(s.due(0)).toBe(true);
    s.started(0);
    expect(s.due(10)).toBe(false);
    s.finished(10, true);
    // Done in 10 ms, but the next may only start 1000/12 ms after the previous one started.
    expect(s.due(83)).toBe(false);
    expect(s.due(84)).toBe(true);
    expect(s.stats).toMatchObject({ segmentations: 1, meanSegmentationMs: 10 });
  });

  test('a slow segmentation waits twice as long as it took before the next (at most a third of the thread)', () => {
    const s = new SegmentationSchedule();
    s.started(1000);
    s.finished(1100, true);
    expect(s.due(1299)).toBe(false);
    expect(s.due(1300)).toBe(true);
  });

  test('failed runs count in the pacing but not in the statistics', () => {
    const s = new SegmentationSchedule();
    s.started(0);
    expect(s.finished(200, false)).toBeUndefined();
    expect(s.stats.segmentations).toBe(0);
    expect(s.due(599)).toBe(false);
    expect(s.due(600)).toBe(true);
  });

  test('reports the mean time once, when 30 runs average over 250 ms', () => {
    const s = new SegmentationSchedule();
    const reports: (number | undefined)[] = [];
    let t = 0;
    for (let i = 0; i < 40; i++) {
      s.started(t);
      t += i < 29 ? 100 : 700;
      reports.push(s.finished(t, true));
      t += 1000;
    }
    // 100 ms runs, then 700 ms ones: the mean of the last 30 first exceeds 250 ms with eight slow
    // runs in the window (8 × 700 + 22 × 100 = 260 × 30), at the 37th run; later ones stay silent.
    const reported = reports.flatMap((r, i) => (r === undefined ? [] : [[i, r]]));
    expect(reported).toHaveLength(1);
    const [[index, mean]] = reported as [[number, number]];
    expect(index).toBe(36);
    expect(mean).toBe(260);
  });
});
