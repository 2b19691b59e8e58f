import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyframeThrottle } from './KeyframeThrottle.js';

describe('KeyframeThrottle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first request at once and at most one per interval after', () => {
    const send = vi.fn();
    const t = new KeyframeThrottle(500, send, () => Date.now());
    t.request();
    expect(send).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 20; i++) t.request(); // twenty subscribers asking at once
    expect(send).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(499);
    expect(send).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(send).toHaveBeenCalledTimes(2); // one trailing request, not twenty
    vi.advanceTimersByTime(5000);
    expect(send).toHaveBeenCalledTimes(2);
    expect(t.requested).toBe(21);
    expect(t.sent).toBe(2);
  });

  it('defers a request inside the interval to its end', () => {
    const send = vi.fn();
    const t = new KeyframeThrottle(500, send, () => Date.now());
    t.request();
    vi.advanceTimersByTime(300);
    t.request();
    vi.advanceTimersByTime(199);
    expect(send).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('sends immediately again once the interval has passed', () => {
    const send = vi.fn();
    const t = new KeyframeThrottle(500, send, () => Date.now());
    t.request();
    vi.advanceTimersByTime(800);
    t.request();
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('drops pending and later requests after close()', () => {
    const send = vi.fn();
    const t = new KeyframeThrottle(500, send, () => Date.now());
    t.request();
    t.request();
    t.close();
    vi.advanceTimersByTime(1000);
    t.request();
    expect(send).toHaveBeenCalledTimes(1);
  });
});
