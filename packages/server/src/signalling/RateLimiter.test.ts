import { describe, expect, it } from 'vitest';
import { RateLimiter } from './RateLimiter.js';
import { SlidingWindow } from '../util/SlidingWindow.js';

const config = { burst: 3, perSecond: 2, maxRefusals: 4, refusalWindowMs: 1000 };

describe('RateLimiter', () => {
  it('allows a burst then refuses until tokens refill', () => {
    const limiter = new RateLimiter(config, 0);
    expect([limiter.take(0), limiter.take(0), limiter.take(0)]).toEqual([true, true, true]);
    expect(limiter.take(0)).toBe(false);
    // 2 tokens per second: one token after 500 ms.
    expect(limiter.take(499)).toBe(false);
    expect(limiter.take(1000)).toBe(true);
  });

  it('never stores more than the burst', () => {
    const limiter = new RateLimiter(config, 0);
    for (let i = 0; i < 3; i++) limiter.take(0);
    const later = 60_000;
    expect([limiter.take(later), limiter.take(later), limiter.take(later), limiter.take(later)]).toEqual([true, true, true, false]);
  });

  it('is exhausted after maxRefusals refusals within the window', () => {
    const limiter = new RateLimiter({ ...config, perSecond: 0.001 }, 0);
    for (let i = 0; i < 3; i++) limiter.take(0);
    for (let i = 0; i < 3; i++) limiter.take(10 * i);
    expect(limiter.exhausted).toBe(false);
    limiter.take(40);
    expect(limiter.exhausted).toBe(true);
  });

  it('is not exhausted when refusals are spread beyond the window', () => {
    const limiter = new RateLimiter({ ...config, perSecond: 0.0001 }, 0);
    for (let i = 0; i < 3; i++) limiter.take(0);
    for (let i = 0; i < 10; i++) limiter.take(i * 400);
    expect(limiter.exhausted).toBe(false);
  });
});

describe('SlidingWindow', () => {
  it('reports the limit-th hit within the window only', () => {
    const counter = new SlidingWindow(3, 100);
    expect(counter.hit(0)).toBe(false);
    expect(counter.hit(50)).toBe(false);
    expect(counter.hit(99)).toBe(true);
    // Oldest of the last three is now 50: 160 - 50 ≥ 100.
    expect(counter.hit(160)).toBe(false);
  });

  it('with limit 1 every hit counts', () => {
    const counter = new SlidingWindow(1, 100);
    expect(counter.hit(5)).toBe(true);
  });
});
