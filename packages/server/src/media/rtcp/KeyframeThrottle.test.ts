import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEYFRAME_RETRY_MS, KeyframeThrottle } from './KeyframeThrottle.js';

describe('KeyframeThrottle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = (interval = 350) => {
    const send = vi.fn();
    return { send, t: new KeyframeThrottle(interval, send, () => Date.now()) };
  };

  it('merges requests made while a keyframe is on its way', () => {
    const { send, t } = make();
    t.request();
    expect(send).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 20; i++) t.request(); // twenty subscribers asking at once
    vi.advanceTimersByTime(400);
    expect(send).toHaveBeenCalledTimes(1); // the coming keyframe serves them all
    t.keyframeReceived();
    vi.advanceTimersByTime(5000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(t.requested).toBe(21);
    expect(t.sent).toBe(1);
  });

  it('sends at once after the keyframe arrived when the interval has passed', () => {
    const { send, t } = make();
    t.request();
    vi.advanceTimersByTime(80);
    t.keyframeReceived();
    vi.advanceTimersByTime(300);
    t.request(); // a subscriber opening 380 ms after the first: no reason to wait
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('defers a request inside the interval to its end, once', () => {
    const { send, t } = make();
    t.request();
    vi.advanceTimersByTime(60);
    t.keyframeReceived();
    vi.advanceTimersByTime(40);
    t.request();
    t.request();
    vi.advanceTimersByTime(249);
    expect(send).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('resends an unanswered request after the retry delay, at most three times', () => {
    const { send, t } = make();
    t.request();
    vi.advanceTimersByTime(KEYFRAME_RETRY_MS);
    expect(send).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(KEYFRAME_RETRY_MS * 10);
    expect(send).toHaveBeenCalledTimes(4); // first + 3 resends, then it waits for a new request
    t.request();
    expect(send).toHaveBeenCalledTimes(5);
  });

  it('stops resending once the keyframe arrives', () => {
    const { send, t } = make();
    t.request();
    vi.advanceTimersByTime(KEYFRAME_RETRY_MS - 1);
    t.keyframeReceived();
    vi.advanceTimersByTime(KEYFRAME_RETRY_MS * 5);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('drops pending and later requests after close()', () => {
    const { send, t } = make();
    t.request();
    t.keyframeReceived();
    t.request();
    t.close();
    vi.advanceTimersByTime(5000);
    t.request();
    expect(send).toHaveBeenCalledTimes(1);
  });
});
