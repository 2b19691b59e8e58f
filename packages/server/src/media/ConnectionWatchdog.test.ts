import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionWatchdog } from './ConnectionWatchdog.js';

describe('ConnectionWatchdog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fails a connection that does not connect within the timeout after its first description', () => {
    const failed = vi.fn();
    const w = new ConnectionWatchdog(1000, failed);
    w.stateChanged('connecting');
    vi.advanceTimersByTime(5000);
    expect(failed).not.toHaveBeenCalled(); // not started: no description yet
    w.start();
    vi.advanceTimersByTime(999);
    expect(failed).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(failed).toHaveBeenCalledExactlyOnceWith('not connected after 1000 ms');
  });

  it('fails at once on "failed", after the timeout on a lasting "disconnected", never once connected again', () => {
    const failed = vi.fn();
    const w = new ConnectionWatchdog(1000, failed);
    w.start();
    w.stateChanged('connected');
    vi.advanceTimersByTime(5000);
    w.stateChanged('disconnected');
    vi.advanceTimersByTime(500);
    w.stateChanged('connected'); // came back
    vi.advanceTimersByTime(5000);
    expect(failed).not.toHaveBeenCalled();
    w.stateChanged('disconnected');
    vi.advanceTimersByTime(1000);
    expect(failed).toHaveBeenCalledExactlyOnceWith('disconnected for 1000 ms');

    const failed2 = vi.fn();
    const w2 = new ConnectionWatchdog(1000, failed2);
    w2.start();
    w2.stateChanged('failed');
    w2.stateChanged('failed');
    vi.advanceTimersByTime(5000);
    expect(failed2).toHaveBeenCalledExactlyOnceWith('ICE/DTLS failed');
  });

  it('does nothing after close', () => {
    const failed = vi.fn();
    const w = new ConnectionWatchdog(1000, failed);
    w.start();
    w.close();
    w.stateChanged('failed');
    vi.advanceTimersByTime(5000);
    expect(failed).not.toHaveBeenCalled();
  });
});
