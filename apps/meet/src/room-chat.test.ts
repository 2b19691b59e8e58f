import { describe, expect, test } from 'vitest';
import { RoomChat } from './room-chat.js';

describe('RoomChat', () => {
  test('messages received while the panel is closed are unread until it opens', () => {
    const chat = new RoomChat();
    let changes = 0;
    chat.onChange = () => changes++;
    chat.received('2', 'Ada', 'hi', new Date());
    chat.received('2', 'Ada', 'there?', new Date());
    expect(chat.unread).toBe(2);
    chat.setOpen(true);
    expect(chat.unread).toBe(0);
    chat.received('3', 'Grace', 'hello', new Date());
    expect(chat.unread).toBe(0);
    chat.setOpen(false);
    chat.received('3', 'Grace', 'bye', new Date());
    expect(chat.unread).toBe(1);
    expect(chat.messages().map((m) => m.text)).toEqual(['hi', 'there?', 'hello', 'bye']);
    expect(changes).toBe(6);
    chat.clear();
    expect([chat.messages().length, chat.unread]).toEqual([0, 0]);
  });

  test('sent messages go from sending to sent or failed and never count as unread', () => {
    const chat = new RoomChat();
    const one = chat.sending('1', 'Me', 'one');
    const two = chat.sending('1', 'Me', 'two');
    chat.delivered(one);
    chat.failed(two, 'offline');
    expect(chat.messages().map((m) => [m.text, m.mine, m.delivery])).toEqual([
      ['one', true, 'sent'],
      ['two', true, 'failed'],
    ]);
    expect(two.failure).toBe('offline');
    expect(chat.unread).toBe(0);
  });

  test('the sender name starts a group only when the sender changes or time passes', () => {
    const chat = new RoomChat();
    const t = new Date('2026-01-01T10:00:00Z');
    chat.received('2', 'Ada', 'a', t);
    chat.received('2', 'Ada', 'b', new Date(t.getTime() + 60_000));
    chat.received('3', 'Grace', 'c', new Date(t.getTime() + 61_000));
    chat.received('3', 'Grace', 'd', new Date(t.getTime() + 20 * 60_000));
    expect([0, 1, 2, 3].map((i) => chat.startsGroup(i))).toEqual([true, false, true, true]);
  });

  test('earlier messages go before what is shown, once, without counting as unread', () => {
    const chat = new RoomChat();
    chat.received('2', 'Ada', 'live', new Date(), { id: '7' });
    const at = new Date(0);
    chat.earlier([
      { mine: false, senderId: '2', senderName: 'Ada', text: 'old one', time: at, id: '3' },
      { mine: false, senderId: '2', senderName: 'Ada', text: 'live', time: at, id: '7' },
      { mine: true, senderId: '1', senderName: 'You', text: 'notes.txt', time: at, id: 'file:x', file: { name: 'notes.txt', url: '/f', size: 3 } },
    ]);
    chat.earlier([{ mine: false, senderId: '2', senderName: 'Ada', text: 'old one', time: at, id: '3' }]);
    expect(chat.messages().map((m) => m.text)).toEqual(['old one', 'notes.txt', 'live']);
    expect(chat.messages()[1]?.file?.url).toBe('/f');
    expect(chat.unread).toBe(1);
  });
});
