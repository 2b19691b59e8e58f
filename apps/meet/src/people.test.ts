import { describe, expect, test } from 'vitest';
import { hueFor, initials } from './avatar.js';
import { availabilityOf, personOf, sortPeople, type Person } from './people.js';

const contact = (id: string, name: string, status: unknown) => ({
  getId: () => id,
  getUsername: () => name,
  getUserData: () => ({ get: (k: string) => (k === 'status' ? status : null) }),
});

describe('people', () => {
  test('only an explicit "busy" status makes someone busy', () => {
    expect(availabilityOf('busy')).toBe('busy');
    expect(availabilityOf(null)).toBe('available');
    expect(availabilityOf('away')).toBe('available');
  });

  test('personOf reads id, username and status from a Contact, falling back to the id for a name', () => {
    expect(personOf(contact('7', 'Ada', 'busy'))).toEqual({ id: '7', name: 'Ada', status: 'busy' });
    expect(personOf(contact('8', '', null))).toEqual({ id: '8', name: '8', status: 'available' });
  });

  test('available people come first, then alphabetical regardless of case', () => {
    const people: Person[] = [
      { id: '1', name: 'zoe', status: 'available' },
      { id: '2', name: 'Adam', status: 'busy' },
      { id: '3', name: 'bob', status: 'available' },
    ];
    expect(sortPeople(people).map((p) => p.name)).toEqual(['bob', 'zoe', 'Adam']);
  });
});

describe('avatars', () => {
  test('initials take the first letters of the first and last words', () => {
    expect(initials('Ada King Lovelace')).toBe('AL');
    expect(initials('bob')).toBe('B');
    expect(initials('  ')).toBe('?');
    expect(initials('élodie durand')).toBe('ÉD');
  });

  test('hues are stable per id and differ for neighbouring ids', () => {
    expect(hueFor('101')).toBe(hueFor('101'));
    expect(hueFor('101')).not.toBe(hueFor('102'));
    for (const id of ['', 'a', '123456789', 'x'.repeat(200)]) {
      expect(hueFor(id)).toBeGreaterThanOrEqual(0);
      expect(hueFor(id)).toBeLessThan(360);
    }
  });
});
