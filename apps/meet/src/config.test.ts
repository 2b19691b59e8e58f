import { describe, expect, test } from 'vitest';
import { cleanName, cleanRoom, DEMO_API_KEY, inviteLink, randomRoomName, readConfig } from './config.js';

describe('readConfig', () => {
  test('defaults to the demo key, no room and no name', () => {
    expect(readConfig('')).toEqual({ apiKey: DEMO_API_KEY, room: '', name: '', moderated: false });
  });

  test('?apiKey=, ?room= and ?name= override them, cleaned', () => {
    expect(readConfig('?apiKey=%20abc%20&room=%20Team%20Sync%20&name=%20Ada%20%20L%20')).toEqual({
      apiKey: 'abc',
      room: 'team-sync',
      name: 'Ada L',
      moderated: false,
    });
    expect(readConfig('?room=r&moderated=1').moderated).toBe(true);
  });

  test('an empty ?apiKey= falls back to the demo key', () => {
    expect(readConfig('?apiKey=').apiKey).toBe(DEMO_API_KEY);
  });
});

describe('cleaning user input', () => {
  test('names are whitespace-collapsed and bounded to 48 characters', () => {
    expect(cleanName('  a \n b  ')).toBe('a b');
    expect(cleanName('x'.repeat(80))).toHaveLength(48);
  });

  test('room names become URL-friendly slugs', () => {
    expect(cleanRoom('  Weekly Café / Sync!! ')).toBe('weekly-cafe-sync');
    expect(cleanRoom('--a--b..')).toBe('a-b');
    expect(cleanRoom('???')).toBe('');
    expect(cleanRoom('y'.repeat(80))).toHaveLength(48);
  });
});

describe('randomRoomName', () => {
  test('is adjective-noun-number and already clean', () => {
    const name = randomRoomName(() => 0.5);
    expect(name).toMatch(/^[a-z]+-[a-z]+-\d\d$/);
    expect(cleanRoom(name)).toBe(name);
    expect(randomRoomName(() => 0)).toBe('amber-badger-10');
    expect(randomRoomName(() => 0.999999)).toMatch(/^witty-willow-99$/);
  });
});

describe('inviteLink', () => {
  test('names the room, and the key only when it is not the demo key', () => {
    expect(inviteLink('http://h:3000/?name=Ada#x', { apiKey: DEMO_API_KEY, room: 'sunny-otter-42' })).toBe('http://h:3000/?room=sunny-otter-42');
    expect(inviteLink('http://h:3000/?room=old', { apiKey: 'k1', room: 'team' })).toBe('http://h:3000/?apiKey=k1&room=team');
    expect(inviteLink('http://h:3000/', { apiKey: DEMO_API_KEY, room: 'team', moderated: true })).toBe('http://h:3000/?room=team&moderated=1');
  });
});
