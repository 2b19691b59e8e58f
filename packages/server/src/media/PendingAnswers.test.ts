import { ErrorCode, ParleyError } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PendingAnswers } from './PendingAnswers.js';

afterEach(() => {
  vi.useRealTimers();
});

async function codeOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof ParleyError ? error.code : -1;
  }
}

describe('PendingAnswers', () => {
  it('answers offers in order, each with its own answer', async () => {
    const answers = new PendingAnswers();
    const first = answers.add(undefined);
    const second = answers.add(undefined);
    answers.resolveOldest('a1');
    answers.resolveOldest('a2');
    expect(await first).toBe('a1');
    expect(await second).toBe('a2');
    expect(answers.size).toBe(0);
  });

  it('a cancelled offer gets no answer: the next answer goes to the one before', async () => {
    const answers = new PendingAnswers();
    const first = answers.add(undefined);
    void answers.add(undefined);
    answers.cancelLast();
    answers.resolveOldest('a1');
    expect(await first).toBe('a1');
    expect(answers.size).toBe(0);
  });

  it('fails with 11 on timeout (and leaves the queue) and with 16 on close', async () => {
    vi.useFakeTimers();
    const answers = new PendingAnswers();
    const late = answers.add(1000);
    const waiting = answers.add(undefined);
    vi.advanceTimersByTime(1000);
    expect(await codeOf(late)).toBe(ErrorCode.TIMED_OUT);
    expect(answers.size).toBe(1);
    answers.rejectAll();
    expect(await codeOf(waiting)).toBe(ErrorCode.WRONG_STATE);
  });
});
