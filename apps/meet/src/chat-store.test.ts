import { describe, expect, test } from 'vitest';
import { ChatStore } from './chat-store.js';

describe('ChatStore', () => {
  test('a message from someone whose thread is not open counts as unread until it is opened', () => {
    const store = new ChatStore();
    store.received('a', 'hi', new Date());
    store.received('a', 'there?', new Date());
    store.received('b', 'yo', new Date());
    expect(store.unread('a')).toBe(2);
    expect(store.totalUnread()).toBe(3);
    store.open('a');
    expect(store.unread('a')).toBe(0);
    store.received('a', 'ok', new Date());
    expect(store.unread('a')).toBe(0);
    expect(store.messages('a').map((m) => m.text)).toEqual(['hi', 'there?', 'ok']);
  });

  test('sent messages go from sending to sent or failed, and every change is announced', () => {
    const store = new ChatStore();
    const changes: string[] = [];
    store.onChange = (id) => changes.push(id);
    const one = store.sending('a', 'one');
    const two = store.sending('a', 'two');
    store.delivered('a', one);
    store.failed('a', two, 'offline');
    expect(store.messages('a').map((m) => [m.text, m.mine, m.delivery])).toEqual([
      ['one', true, 'sent'],
      ['two', true, 'failed'],
    ]);
    expect(two.failure).toBe('offline');
    expect(changes).toEqual(['a', 'a', 'a', 'a']);
  });
});
