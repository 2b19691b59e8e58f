import { describe, expect, test } from 'vitest';
import { PresenceTracker, isEmptyDiff, type PresenceDiff } from './PresenceTracker.js';

const c = (id: string, userData: Record<string, unknown> = {}) => ({ id, userData });
const event = (
  joinedGroup: Record<string, { id: string; userData: Record<string, unknown> }[]> = {},
  leftGroup: Record<string, string[]> = {},
  userDataChanged: { id: string; userData: Record<string, unknown> }[] = [],
) => ({ joinedGroup, leftGroup, userDataChanged });
const summary = (d: PresenceDiff) => ({
  joined: Object.fromEntries([...d.joined].map(([g, l]) => [g, l.map((x) => x.id)])),
  left: Object.fromEntries(d.left),
  changed: d.userDataChanged.map((x) => x.id),
});

describe('PresenceTracker', () => {
  test('joins and leaves update membership and come out as the effective diff', () => {
    const p = new PresenceTracker();
    p.setSelfId('me');
    const d1 = p.apply(event({ default: [c('1', { username: 'a' }), c('2'), c('me')] }));
    expect(summary(d1)).toEqual({ joined: { default: ['1', '2'] }, left: {}, changed: [] });
    expect(p.membersOf('default')).toEqual(['1', '2']);
    expect(p.isIn('1', 'default')).toBe(true);
    expect(p.isOnline('1')).toBe(true);
    expect(p.userDataOf('1')).toEqual({ username: 'a' });

    const d2 = p.apply(event({}, { default: ['1', 'unknown'] }));
    expect(summary(d2)).toEqual({ joined: {}, left: { default: ['1'] }, changed: [] });
    expect(p.isOnline('1')).toBe(false);
    expect(p.groupsOf('2')).toEqual(['default']);
  });

  test('a join of a known member is no event, unless its user data changed', () => {
    const p = new PresenceTracker();
    p.apply(event({ g: [c('1', { s: 1 })] }));
    expect(isEmptyDiff(p.apply(event({ g: [c('1', { s: 1 })] })))).toBe(true);
    expect(summary(p.apply(event({ g: [c('1', { s: 2 })] })))).toEqual({ joined: {}, left: {}, changed: ['1'] });
  });

  test('userDataChanged updates the stored data; an unchanged bag is no event', () => {
    const p = new PresenceTracker();
    p.apply(event({ g: [c('1', { s: 'free' })] }));
    expect(summary(p.apply(event({}, {}, [c('1', { s: 'busy' })])))).toEqual({ joined: {}, left: {}, changed: ['1'] });
    expect(p.userDataOf('1')).toEqual({ s: 'busy' });
    expect(isEmptyDiff(p.apply(event({}, {}, [c('1', { s: 'busy' })])))).toBe(true);
  });

  test('forgetGroup drops a group silently', () => {
    const p = new PresenceTracker();
    p.apply(event({ g: [c('1')], h: [c('1')] }));
    p.forgetGroup('g');
    expect(p.membersOf('g')).toEqual([]);
    expect(p.groupsOf('1')).toEqual(['h']);
  });

  test('resync: the snapshot of each watched group replaces its membership; vanished contacts leave, present ones make no event', () => {
    const p = new PresenceTracker();
    p.apply(event({ a: [c('1'), c('2')], b: [c('3')], old: [c('4')] }));
    p.startResync(['a', 'b']);
    expect(p.resyncing).toBe(true);
    expect(p.membersOf('old')).toEqual([]);
    // Snapshot of a: 2 is gone, 5 is new, 1 is still there.
    const d1 = p.apply(event({ a: [c('1'), c('5')] }));
    expect(summary(d1)).toEqual({ joined: { a: ['5'] }, left: { a: ['2'] }, changed: [] });
    expect(p.resyncing).toBe(true);
    // No snapshot of b ever arrives: it is taken as empty when the resync ends.
    const d2 = p.finishResync();
    expect(summary(d2)).toEqual({ joined: {}, left: { b: ['3'] }, changed: [] });
    expect(p.resyncing).toBe(false);
    // After the resync, joinedGroup entries are ordinary joins again.
    expect(summary(p.apply(event({ a: [c('6')] })))).toEqual({ joined: { a: ['6'] }, left: {}, changed: [] });
  });

  test('resync ends by itself once every watched group got its snapshot', () => {
    const p = new PresenceTracker();
    p.apply(event({ a: [c('1')] }));
    p.startResync(['a']);
    expect(isEmptyDiff(p.apply(event({ a: [c('1')] })))).toBe(true);
    expect(p.resyncing).toBe(false);
  });
});
