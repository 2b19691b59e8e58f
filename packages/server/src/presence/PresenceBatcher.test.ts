import type { PresenceEvent } from '@parley/protocol';
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { UserSession } from '../session/UserSession.js';
import { Group } from './Group.js';
import { PresenceBatcher } from './PresenceBatcher.js';
import { PresenceService } from './PresenceService.js';

const limits = { replayEvents: 512, replayChars: 1_000_000, answerCache: 128 };
let presence: PresenceService;
const read = new Map<UserSession, number>();

function user(id: string, apiKey = 'k', userData: Record<string, unknown> = {}): UserSession {
  return new UserSession({
    apiKey,
    userId: id,
    identified: false,
    resumeToken: `t-${apiKey}-${id}`,
    contactJson: JSON.stringify({ id, userData }),
    limits,
  });
}

/** Presence events the session got since the last call (sessions are detached: read the replay buffer). */
function events(session: UserSession): PresenceEvent[] {
  const from = read.get(session) ?? 0;
  read.set(session, session.lastSeq);
  return (session.missedSince(from) ?? []).map((text) => JSON.parse(text) as PresenceEvent);
}

function setData(session: UserSession, userData: Record<string, unknown>): void {
  session.setContactJson(JSON.stringify({ id: session.userId, userData }));
  presence.userDataChanged(session);
}

beforeEach(() => {
  presence = new PresenceService(pino({ level: 'silent' }));
  read.clear();
});

describe('PresenceBatcher (through PresenceService)', () => {
  it('sends a snapshot without self on join, then diffs to the other watchers', () => {
    const a = user('a');
    const b = user('b');
    presence.join(a, 'default');
    presence.flush();
    expect(events(a)).toEqual([{ type: 'presence', seq: 1, joinedGroup: { default: [] }, leftGroup: {}, userDataChanged: [] }]);
    presence.join(b, 'default');
    presence.flush();
    expect(events(b)).toEqual([{ type: 'presence', seq: 1, joinedGroup: { default: [{ id: 'a', userData: {} }] }, leftGroup: {}, userDataChanged: [] }]);
    expect(events(a)).toEqual([{ type: 'presence', seq: 2, joinedGroup: { default: [{ id: 'b', userData: {} }] }, leftGroup: {}, userDataChanged: [] }]);
    presence.leave(b, 'default');
    presence.flush();
    expect(events(a)).toMatchObject([{ seq: 3, joinedGroup: {}, leftGroup: { default: ['b'] }, userDataChanged: [] }]);
    expect(events(b)).toEqual([]);
  });

  it('keeps a conversation apart from the presence group of the same name (own keys, own members)', () => {
    const a = user('a');
    const b = user('b');
    const c = user('c');
    presence.joinConversation(a, 'x');
    presence.join(c, 'x');
    presence.flush();
    events(a);
    events(c);
    // One tick: b joins the conversation and the group; a group.leave of the conversation's name is no leave.
    presence.joinConversation(b, 'x');
    presence.join(b, 'x');
    presence.leave(a, 'x');
    presence.flush();
    expect(events(a)).toEqual([
      {
        type: 'presence',
        seq: 2,
        joinedGroup: {},
        leftGroup: {},
        userDataChanged: [],
        joinedConversation: { x: [{ id: 'b', userData: {} }] },
        leftConversation: {},
      },
    ]);
    expect(events(b)).toEqual([
      {
        type: 'presence',
        seq: 1,
        joinedGroup: { x: [{ id: 'c', userData: {} }] },
        leftGroup: {},
        userDataChanged: [],
        joinedConversation: { x: [{ id: 'a', userData: {} }] },
        leftConversation: {},
      },
    ]);
    expect(events(c)).toEqual([{ type: 'presence', seq: 2, joinedGroup: { x: [{ id: 'b', userData: {} }] }, leftGroup: {}, userDataChanged: [] }]);
    expect(presence.groupCount).toBe(1);
    expect(presence.conversationGroup('k', 'x')?.members.size).toBe(2);
    // Session end leaves both.
    presence.leaveAll(b);
    presence.flush();
    expect(events(a)).toMatchObject([{ leftConversation: { x: ['b'] }, leftGroup: {} }]);
    expect(events(c)).toMatchObject([{ leftGroup: { x: ['b'] } }]);
  });

  it('merges several changes of one tick into one event per watcher', () => {
    const w = user('w');
    presence.subscribe(w, 'g1');
    presence.subscribe(w, 'g2');
    presence.flush();
    events(w);
    const x = user('x');
    const y = user('y');
    presence.join(x, 'g1');
    presence.join(y, 'g1');
    presence.join(x, 'g2');
    setData(y, { nickname: 'Y' });
    presence.flush();
    const got = events(w);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      joinedGroup: {
        g1: [
          { id: 'x', userData: {} },
          { id: 'y', userData: { nickname: 'Y' } },
        ],
        g2: [{ id: 'x', userData: {} }],
      },
      leftGroup: {},
      // y just joined: its join already carries the new data.
      userDataChanged: [],
    });
  });

  it('cancels a join and a leave of the same member within one tick, in either order', () => {
    const w = user('w');
    const x = user('x');
    presence.join(w, 'g');
    presence.join(x, 'g');
    presence.flush();
    events(w);
    presence.leave(x, 'g');
    presence.join(x, 'g');
    const z = user('z');
    presence.join(z, 'g');
    presence.leave(z, 'g');
    presence.flush();
    expect(events(w)).toEqual([]);
  });

  it('reports a user-data change once per watcher even through several groups, never to the user itself', () => {
    const w = user('w');
    const x = user('x');
    for (const g of ['g1', 'g2']) {
      presence.join(w, g);
      presence.join(x, g);
    }
    presence.flush();
    events(w);
    events(x);
    setData(x, { n: 1 });
    setData(x, { n: 2 });
    presence.flush();
    expect(events(w)).toMatchObject([{ joinedGroup: {}, leftGroup: {}, userDataChanged: [{ id: 'x', userData: { n: 2 } }] }]);
    expect(events(x)).toEqual([]);
  });

  it('a user replaced by a new session of the same id reads as a data change, not leave + join', () => {
    const w = user('w');
    const old = user('x', 'k', { v: 'old' });
    presence.join(w, 'g');
    presence.join(old, 'g');
    presence.flush();
    events(w);
    presence.leaveAll(old);
    const fresh = new UserSession({ apiKey: 'k', userId: 'x', identified: true, resumeToken: 't2', contactJson: '{"id":"x","userData":{"v":"new"}}', limits });
    presence.join(fresh, 'g');
    presence.flush();
    expect(events(w)).toMatchObject([{ joinedGroup: {}, leftGroup: {}, userDataChanged: [{ id: 'x', userData: { v: 'new' } }] }]);
  });

  it('gives a watcher that arrives within the tick the final member list instead of the diff', () => {
    const x = user('x');
    presence.join(x, 'g');
    const late = user('late');
    presence.subscribe(late, 'g');
    const y = user('y');
    presence.join(y, 'g');
    presence.flush();
    expect(events(late)).toEqual([
      {
        type: 'presence',
        seq: 1,
        joinedGroup: {
          g: [
            { id: 'x', userData: {} },
            { id: 'y', userData: {} },
          ],
        },
        leftGroup: {},
        userDataChanged: [],
      },
    ]);
  });

  it('keeps tenants apart', () => {
    const a = user('a', 'key1');
    const b = user('b', 'key2');
    presence.join(a, 'default');
    presence.join(b, 'default');
    presence.flush();
    expect(events(a)[0]?.joinedGroup).toEqual({ default: [] });
    expect(events(b)[0]?.joinedGroup).toEqual({ default: [] });
  });

  it('a subscriber that joins does not get a second snapshot but still hears leaves', () => {
    const w = user('w');
    const x = user('x');
    presence.join(x, 'g');
    presence.subscribe(w, 'g');
    presence.flush();
    events(w);
    presence.leave(x, 'g');
    presence.join(w, 'g');
    presence.flush();
    expect(events(w)).toMatchObject([{ joinedGroup: {}, leftGroup: { g: ['x'] } }]);
  });

  it('shares one payload string between watchers with the same view', () => {
    const watchers = Array.from({ length: 5 }, (_, i) => user(`w${i}`));
    for (const w of watchers) presence.join(w, 'g');
    presence.flush();
    for (const w of watchers) events(w);
    presence.join(user('x'), 'g');
    presence.flush();
    const payloads = watchers.map((w) => JSON.stringify({ ...events(w)[0], seq: 0 }));
    expect(new Set(payloads).size).toBe(1);
  });
});

describe('Group snapshots', () => {
  it('serves the last joiner from the incremental list and rebuilds after a leave or data change', () => {
    const group = new Group('k', 'g');
    const [a, b, c] = ['a', 'b', 'c'].map((id) => user(id)) as [UserSession, UserSession, UserSession];
    group.addMember(a);
    group.addMember(b);
    expect(group.snapshotFor(b)).toBe('{"id":"a","userData":{}}');
    group.addMember(c);
    expect(group.snapshotFor(c)).toBe('{"id":"a","userData":{}},{"id":"b","userData":{}}');
    expect(group.snapshotFor(a)).toBe('{"id":"b","userData":{}},{"id":"c","userData":{}}');
    group.removeMember(b);
    expect(group.snapshotFor(user('outsider'))).toBe('{"id":"a","userData":{}},{"id":"c","userData":{}}');
    c.setContactJson('{"id":"c","userData":{"n":1}}');
    group.invalidate();
    expect(group.snapshotFor(a)).toBe('{"id":"c","userData":{"n":1}}');
  });

  it('matches a naive computation through random joins, leaves and data changes', () => {
    const group = new Group('k', 'g');
    const pool = Array.from({ length: 12 }, (_, i) => user(`u${i}`));
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let step = 0; step < 400; step++) {
      const s = pool[random(pool.length)] as UserSession;
      const action = random(4);
      if (action < 2) group.addMember(s);
      else if (action === 2) group.removeMember(s);
      else {
        s.setContactJson(JSON.stringify({ id: s.userId, userData: { step } }));
        if (group.members.has(s)) group.invalidate();
      }
      const viewer = pool[random(pool.length)] as UserSession;
      const naive = [...group.members]
        .filter((m) => m !== viewer)
        .map((m) => m.contactJson)
        .join(',');
      expect(group.snapshotFor(viewer)).toBe(naive);
    }
  });
});

describe('PresenceBatcher failures', () => {
  it('a watcher whose delivery throws does not stop the others, and the error is reported', () => {
    const errors: (string | undefined)[] = [];
    const delivered: string[] = [];
    const batcher = new PresenceBatcher(
      (watcher) => {
        if (watcher.userId === 'bad') throw new RangeError('boom');
        delivered.push(watcher.userId);
      },
      (_error, watcher) => errors.push(watcher?.userId),
    );
    const group = new Group('k', 'room');
    const [bad, good, joiner] = [user('bad'), user('good'), user('joiner')];
    group.watchers.add(bad);
    group.watchers.add(good);
    group.watchers.add(joiner);
    group.addMember(joiner);
    batcher.memberJoined(group, joiner);
    expect(() => batcher.flush()).not.toThrow();
    expect(delivered).toEqual(['good']);
    expect(errors).toEqual(['bad']);
    batcher.close();
  });
});
