import { describe, expect, it } from 'vitest';
import { AnswerCache } from './AnswerCache.js';
import { ReplayBuffer, tailOf, wireOf } from './ReplayBuffer.js';
import { Ring } from './Ring.js';

const tail = (n: number): string => tailOf(JSON.stringify({ type: 'contact.data', from: 'a', content: n }));

describe('ReplayBuffer', () => {
  it('numbers events from 1 and replays those after lastSeq in order', () => {
    const buffer = new ReplayBuffer(512, 1_000_000);
    for (let i = 1; i <= 5; i++) expect(buffer.push(tail(i))).toBe(i);
    const replay = buffer.after(2)?.map((text) => JSON.parse(text) as { seq: number; content: number });
    expect(replay?.map((e) => [e.seq, e.content])).toEqual([
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
    expect(buffer.after(5)).toEqual([]);
  });

  it('keeps only the last `capacity` events', () => {
    const buffer = new ReplayBuffer(512, 10_000_000);
    for (let i = 1; i <= 600; i++) buffer.push(tail(i));
    expect(buffer.size).toBe(512);
    // Events 1–88 were dropped: a client that processed 87 missed one that is gone.
    expect(buffer.after(87)).toBeNull();
    expect(buffer.after(88)).toHaveLength(512);
    expect(JSON.parse(buffer.after(599)?.[0] as string)).toMatchObject({ seq: 600, content: 600 });
  });

  it('drops the oldest events beyond the character budget but always keeps the newest', () => {
    const buffer = new ReplayBuffer(512, 100);
    buffer.push('"x":"' + 'a'.repeat(60) + '"}');
    buffer.push('"x":"' + 'b'.repeat(60) + '"}');
    expect(buffer.size).toBe(1);
    expect(buffer.after(0)).toBeNull();
    expect(buffer.after(1)).toHaveLength(1);
    buffer.push('"x":"' + 'c'.repeat(500) + '"}');
    expect(buffer.size).toBe(1);
    expect(buffer.after(2)).toHaveLength(1);
  });

  it('refuses a lastSeq ahead of what was sent', () => {
    const buffer = new ReplayBuffer(8, 1000);
    buffer.push(tail(1));
    expect(buffer.after(2)).toBeNull();
    expect(buffer.after(-1)).toBeNull();
  });

  it('builds the wire text with the seq spliced in', () => {
    expect(JSON.parse(wireOf(7, tail(1)))).toEqual({ seq: 7, type: 'contact.data', from: 'a', content: 1 });
  });
});

describe('Ring', () => {
  it('grows lazily, wraps, and stays ordered after shifts', () => {
    const ring = new Ring<number>(4);
    for (let i = 1; i <= 3; i++) ring.push(i);
    expect(ring.shift()).toBe(1);
    ring.push(4);
    ring.push(5); // grows from 3 slots to 4 with head ≠ 0
    expect([0, 1, 2, 3].map((i) => ring.at(i))).toEqual([2, 3, 4, 5]);
    expect(ring.push(6)).toBe(2);
    expect([0, 1, 2, 3].map((i) => ring.at(i))).toEqual([3, 4, 5, 6]);
  });
});

describe('AnswerCache', () => {
  it('returns stored answers and forgets the oldest beyond capacity', () => {
    const cache = new AnswerCache(128);
    for (let id = 1; id <= 130; id++) cache.set(id, `answer ${id}`);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(3)).toBe('answer 3');
    expect(cache.get(130)).toBe('answer 130');
    expect(cache.get(131)).toBeUndefined();
    expect(cache.size).toBe(128);
  });

  it('knows the requests in flight until their answer is stored, within the capacity', () => {
    const cache = new AnswerCache(2);
    cache.begin(5);
    expect(cache.isInFlight(5)).toBe(true);
    expect(cache.get(5)).toBeUndefined();
    cache.set(5, 'answer 5');
    expect(cache.isInFlight(5)).toBe(false);
    expect(cache.get(5)).toBe('answer 5');
    // Never settled: the oldest in-flight ids are forgotten beyond the capacity.
    for (const id of [6, 7, 8]) cache.begin(id);
    expect([6, 7, 8].map((id) => cache.isInFlight(id))).toEqual([false, true, true]);
  });
});
