import { describe, expect, test } from 'vitest';
import { cleanGroup, cleanName, DEMO_API_KEY, inviteLink, readConfig } from './config.js';

describe('readConfig', () => {
  test('defaults to the demo key, the default group and no name', () => {
    expect(readConfig('')).toEqual({ apiKey: DEMO_API_KEY, group: 'default', name: '' });
  });

  test('?apiKey=, ?group= and ?name= override them, trimmed', () => {
    expect(readConfig('?apiKey=%20abc%20&group=%20team%20&name=%20Ada%20%20L%20')).toEqual({ apiKey: 'abc', group: 'team', name: 'Ada L' });
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

  test('an empty group means "default"', () => {
    expect(cleanGroup('   ')).toBe('default');
  });
});

describe('inviteLink', () => {
  test('keeps only a non-default key and group', () => {
    expect(inviteLink('http://h:3000/?name=Ada#x', { apiKey: DEMO_API_KEY, group: 'default' })).toBe('http://h:3000/');
    expect(inviteLink('http://h:3000/?name=Ada', { apiKey: 'k1', group: 'team a' })).toBe('http://h:3000/?apiKey=k1&group=team+a');
  });
});
