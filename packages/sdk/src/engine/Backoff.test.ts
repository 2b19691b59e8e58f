import { describe, expect, test } from 'vitest';
import { Backoff } from './Backoff.js';

describe('Backoff', () => {
  test('starts at the initial delay and grows ×1.5 up to 5 s (no jitter)', () => {
    const b = new Backoff({ initialMs: 1000, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => b.next())).toEqual([1000, 1500, 2250, 3375, 5000, 5000]);
    expect(b.attempts).toBe(6);
    b.reset();
    expect(b.next()).toBe(1000);
  });

  test('jitter stays within ±15 % and never exceeds the cap', () => {
    const low = new Backoff({ initialMs: 1000, random: () => 0 });
    const high = new Backoff({ initialMs: 1000, random: () => 0.999999 });
    expect(low.next()).toBe(850);
    expect(high.next()).toBe(1150);
    for (let i = 0; i < 10; i++) expect(high.next()).toBeLessThanOrEqual(5000);
  });

  test('an initial delay above the cap is honoured', () => {
    expect(new Backoff({ initialMs: 8000, jitter: 0 }).next()).toBe(8000);
  });
});
