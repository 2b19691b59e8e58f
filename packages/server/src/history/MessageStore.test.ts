import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../storage/Database.js';
import { MessageStore } from './MessageStore.js';

const opened: { db: Database; dir: string }[] = [];
afterEach(() => {
  for (const { db, dir } of opened.splice(0)) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function openDb(dir = mkdtempSync(join(tmpdir(), 'parley-history-'))): { db: Database; dir: string } {
  const entry = { db: Database.open(dir), dir };
  opened.push(entry);
  return entry;
}

const DAY = 86_400_000;
const room = MessageStore.conversationThread('room');

describe('MessageStore', () => {
  it('pages a thread newest page first, each page oldest first, with a cursor', () => {
    const store = new MessageStore(openDb().db, { maxMessagesPerThread: 100, retentionMs: DAY });
    const ids = ['one', 'two', 'three', 'four', 'five'].map((content, i) => store.append('k', room, { from: 'alice', content, time: Date.now() + i }));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const newest = store.page('k', room, { count: 2 });
    expect(newest.messages.map((m) => m.content)).toEqual(['four', 'five']);
    expect(newest.more).toBe(true);
    const middle = store.page('k', room, { count: 2, before: newest.messages[0]!.uuid });
    expect(middle.messages.map((m) => m.content)).toEqual(['two', 'three']);
    const oldest = store.page('k', room, { count: 2, before: middle.messages[0]!.uuid });
    expect(oldest.messages.map((m) => m.content)).toEqual(['one']);
    expect(oldest.more).toBe(false);
  });

  it('keeps tenants, conversations and 1-1 threads apart; a 1-1 thread is the same from both ends', () => {
    const store = new MessageStore(openDb().db, { maxMessagesPerThread: 100, retentionMs: DAY });
    const now = Date.now();
    store.append('k', room, { from: 'alice', content: 'in room', time: now });
    store.append('other-key', room, { from: 'mallory', content: 'other tenant', time: now });
    store.append('k', MessageStore.conversationThread('room2'), { from: 'bob', content: 'in room2', time: now });
    store.append('k', MessageStore.contactThread('alice', 'bob'), { from: 'alice', to: 'bob', content: 'hi bob', time: now });
    store.append('k', MessageStore.contactThread('bob', 'alice'), { from: 'bob', to: 'alice', content: 'hi alice', time: now + 1 });

    expect(store.page('k', room, { count: 10 }).messages.map((m) => m.content)).toEqual(['in room']);
    const pair = store.page('k', MessageStore.contactThread('bob', 'alice'), { count: 10 }).messages;
    expect(pair.map((m) => [m.from, m.to, m.content])).toEqual([
      ['alice', 'bob', 'hi bob'],
      ['bob', 'alice', 'hi alice'],
    ]);
    expect(store.page('k', MessageStore.contactThread('alice', 'carol'), { count: 10 }).messages).toEqual([]);
    // Ids with the separator characters of a naive key stay distinct threads.
    expect(MessageStore.contactThread('a","b', 'c')).not.toBe(MessageStore.contactThread('a', 'b","c'));
  });

  it('keeps display name and metadata', () => {
    const store = new MessageStore(openDb().db, { maxMessagesPerThread: 100, retentionMs: DAY });
    store.append('k', room, { from: 'alice', content: 'x', time: 1_000 + Date.now(), displayName: 'Alice', metadata: { lang: 'en' } });
    const [message] = store.page('k', room, { count: 1 }).messages;
    expect(message).toMatchObject({ from: 'alice', content: 'x', displayName: 'Alice', metadata: { lang: 'en' } });
  });

  it('bounds each thread to its newest messages', () => {
    const store = new MessageStore(openDb().db, { maxMessagesPerThread: 3, retentionMs: DAY });
    const now = Date.now();
    for (let i = 1; i <= 5; i++) store.append('k', room, { from: 'alice', content: `m${i}`, time: now });
    store.append('k', MessageStore.conversationThread('room2'), { from: 'alice', content: 'elsewhere', time: now });
    const page = store.page('k', room, { count: 10 });
    expect(page.messages.map((m) => m.content)).toEqual(['m3', 'm4', 'm5']);
    expect(page.more).toBe(false);
    expect(store.page('k', MessageStore.conversationThread('room2'), { count: 10 }).messages).toHaveLength(1);
  });

  it('never serves a message past the retention and prunes it; beforeTime pages by date', () => {
    let now = 10 * DAY;
    const store = new MessageStore(openDb().db, { maxMessagesPerThread: 100, retentionMs: DAY }, () => now);
    store.append('k', room, { from: 'alice', content: 'old', time: now - 2 * DAY });
    store.append('k', room, { from: 'alice', content: 'recent', time: now - 1000 });
    store.append('k', room, { from: 'alice', content: 'newest', time: now });
    expect(store.page('k', room, { count: 10 }).messages.map((m) => m.content)).toEqual(['recent', 'newest']);
    expect(store.page('k', room, { count: 10, beforeTime: now }).messages.map((m) => m.content)).toEqual(['recent']);
    expect(store.prune()).toBe(1);
    now += 2 * DAY;
    expect(store.page('k', room, { count: 10 }).messages).toEqual([]);
    expect(store.prune()).toBe(2);
  });

  it('keeps messages across a reopen and never reuses an id after deletions', () => {
    const { db, dir } = openDb();
    const store = new MessageStore(db, { maxMessagesPerThread: 1, retentionMs: DAY });
    store.append('k', room, { from: 'alice', content: 'first', time: Date.now() });
    const second = store.append('k', room, { from: 'alice', content: 'second', time: Date.now() });
    db.close();
    const reopened = new MessageStore(openDb(dir).db, { maxMessagesPerThread: 1, retentionMs: DAY });
    expect(reopened.page('k', room, { count: 5 }).messages.map((m) => m.content)).toEqual(['second']);
    const third = reopened.append('k', room, { from: 'bob', content: 'third', time: Date.now() });
    expect(third).toBeGreaterThan(second);
  });
});
