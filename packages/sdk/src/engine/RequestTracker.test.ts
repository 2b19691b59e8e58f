import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ClientMessage } from '@parley/protocol';
import { RequestError } from './RequestError.js';
import { RequestTracker } from './RequestTracker.js';

const ping = (id: number): ClientMessage => ({ type: 'ping', id });

describe('RequestTracker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('ids count up from 1 and the first answer settles the request', async () => {
    const t = new RequestTracker();
    expect([t.nextId(), t.nextId()]).toEqual([1, 2]);
    // Answer data is checked against the request type's result schema (issue 10), so the sample
    // is a request that has data: conv.message answers its uuid.
    const p = t.track({ type: 'conv.message', id: 1, conversation: 'c', content: 'hi' });
    expect(t.settle({ type: 'answer', re: 1, ok: true, data: { uuid: 7 } })).toBe(true);
    await expect(p).resolves.toEqual({ uuid: 7 });
    // A repeated answer for a settled id is ignored.
    expect(t.settle({ type: 'answer', re: 1, ok: true })).toBe(false);
    expect(t.size).toBe(0);
  });

  test('a success answer whose data is not an object rejects, kind invalid, code 0', async () => {
    const t = new RequestTracker();
    const publish = t.track({
      type: 'conv.publish',
      id: 1,
      conversation: 'c',
      streamId: 1,
      msid: 'm',
      hasAudio: true,
      hasVideo: false,
      isAudioMuted: false,
      isVideoMuted: false,
      isScreensharing: false,
      remoteUnmuteEnabled: false,
    });
    t.settle({ type: 'answer', re: 1, ok: true, data: '42' });
    await expect(publish).rejects.toMatchObject({ kind: 'invalid', code: 0, message: 'malformed answer to conv.publish: data is not an object' });
    const join = t.track({ type: 'group.join', id: 2, group: 'g' });
    t.settle({ type: 'answer', re: 2, ok: true, data: [1] });
    await expect(join).rejects.toMatchObject({ kind: 'invalid' });
    const ping2 = t.track(ping(3));
    t.settle({ type: 'answer', re: 3, ok: true });
    await expect(ping2).resolves.toBeUndefined();
  });

  test('an error answer rejects with its code and message', async () => {
    const t = new RequestTracker();
    const p = t.track(ping(5));
    t.settle({ type: 'answer', re: 5, ok: false, error: { code: 8, message: 'contact not found' } });
    await expect(p).rejects.toMatchObject({ kind: 'answer', code: 8, message: 'contact not found' });
  });

  test('no answer in time rejects code 11 (timeout) exactly once; a late answer is ignored', async () => {
    const t = new RequestTracker();
    const p = t.track(ping(1), { timeoutMs: 10_000 });
    const seen = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(t.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const err = await seen;
    expect(err).toBeInstanceOf(RequestError);
    expect(err).toMatchObject({ kind: 'timeout', code: 11 });
    expect(t.settle({ type: 'answer', re: 1, ok: true })).toBe(false);
  });

  test('unanswered() lists the non-volatile requests oldest first; failVolatile fails only volatile ones', async () => {
    const t = new RequestTracker();
    const a = t.track({ type: 'group.join', id: 3, group: 'g' });
    const v = t.track(ping(1), { volatile: true });
    const b = t.track({ type: 'group.leave', id: 2, group: 'g' });
    expect(t.unanswered().map((m) => m.id)).toEqual([2, 3]);
    t.failVolatile('socket closed');
    await expect(v).rejects.toMatchObject({ kind: 'closed', code: 0 });
    expect(t.size).toBe(2);
    t.resolveWhere((m) => m.type === 'group.leave');
    await expect(b).resolves.toBeUndefined();
    t.failAll('session over');
    await expect(a).rejects.toMatchObject({ kind: 'closed' });
  });
});
