import { ErrorCode, ParleyError } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RelayTable } from './RelayTable.js';

const requester = { name: 'requester' };
const publisher = { name: 'publisher' };

async function codeOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof ParleyError ? error.code : -1;
  }
}

describe('RelayTable', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts the relays each requester has waiting, through answers, timeouts and drops', async () => {
    vi.useFakeTimers();
    const table = new RelayTable<object>(1000);
    const other = { name: 'other' };
    const first = table.open(requester, publisher);
    const second = table.open(requester, publisher);
    const third = table.open(other, publisher);
    expect([table.pendingOf(requester), table.pendingOf(other)]).toEqual([2, 1]);
    table.answer(publisher, first.relayId, true, null, undefined);
    await first.answer;
    expect(table.pendingOf(requester)).toBe(1);
    table.drop(other);
    expect(table.pendingOf(other)).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(await codeOf(second.answer)).toBe(ErrorCode.TIMED_OUT);
    expect(table.pendingOf(requester)).toBe(0);
    void third.answer.catch(() => undefined);
  });

  it('resolves with the publisher result once, then forgets the relay', async () => {
    const table = new RelayTable<object>(1000);
    const { relayId, answer } = table.open(requester, publisher);
    table.answer(publisher, relayId, true, { width: 640 }, undefined);
    await expect(answer).resolves.toEqual({ result: { width: 640 } });
    expect(table.size).toBe(0);
    expect(() => table.answer(publisher, relayId, true, 1, undefined)).toThrow(ParleyError);
  });

  it('only the publisher may answer; its error becomes code 0', async () => {
    const table = new RelayTable<object>(1000);
    const { relayId, answer } = table.open(requester, publisher);
    expect(() => table.answer(requester, relayId, true, 1, undefined)).toThrow('relay not found');
    table.answer(publisher, relayId, false, undefined, 'OverconstrainedError');
    await expect(answer).rejects.toMatchObject({ code: ErrorCode.OTHER, message: 'OverconstrainedError' });
  });

  it('times out with code 11', async () => {
    vi.useFakeTimers();
    const table = new RelayTable<object>(10_000);
    const { answer } = table.open(requester, publisher);
    const code = codeOf(answer);
    vi.advanceTimersByTime(10_000);
    expect(await code).toBe(ErrorCode.TIMED_OUT);
    expect(table.size).toBe(0);
  });

  it('drops the relays of a requester that left without answering, and fails those of a publisher that left', async () => {
    vi.useFakeTimers();
    const table = new RelayTable<object>(10_000);
    const dropped = table.open(requester, publisher);
    const other = table.open(publisher, requester);
    let settled = false;
    dropped.answer.then(
      () => (settled = true),
      () => (settled = true),
    );
    const otherCode = codeOf(other.answer);
    table.drop(requester);
    expect(await otherCode).toBe(ErrorCode.NOT_FOUND);
    vi.advanceTimersByTime(20_000);
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(table.size).toBe(0);
  });

  it('drops only the relays of the given scope', () => {
    const table = new RelayTable<object>(10_000);
    const roomA = table.open(requester, publisher, 'a');
    table.open(requester, publisher, 'b');
    roomA.answer.catch(() => undefined);
    table.drop(requester, 'a');
    expect(table.size).toBe(1);
    table.close();
    expect(table.size).toBe(0);
  });
});
