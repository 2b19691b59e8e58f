import { describe, expect, it } from 'vitest';
import { SlidingWindow } from './SlidingWindow.js';

describe('SlidingWindow', () => {
  it('admits max events within the window and refuses the next', () => {
    const quota = new SlidingWindow(3, 1000);
    expect([quota.take(0), quota.take(10), quota.take(20)]).toEqual([true, true, true]);
    expect(quota.take(30)).toBe(false);
    expect(quota.take(999)).toBe(false);
  });

  it('admits again once the oldest admitted event left the window, refusals not counted', () => {
    const quota = new SlidingWindow(2, 1000);
    quota.take(0);
    quota.take(500);
    for (let t = 600; t < 1000; t += 50) expect(quota.take(t)).toBe(false);
    expect(quota.take(1000)).toBe(true);
    expect(quota.take(1200)).toBe(false);
    expect(quota.take(1500)).toBe(true);
  });

  it('rejects a max below 1', () => {
    expect(() => new SlidingWindow(0, 1000)).toThrow(RangeError);
  });
});
