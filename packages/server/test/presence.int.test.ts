import { describe, expect, it } from 'vitest';
import { type RegisterOptions, TestClient } from './helpers/TestClient.js';
import { useTestServer } from './helpers/testServer.js';

const env = useTestServer();
const user = (userId: string, options: RegisterOptions = {}): Promise<TestClient> => env.user(userId, options);

describe('presence', () => {
  it('two users in default see each other, with snapshots excluding self', async () => {
    const alice = await user('p1-alice', { groups: ['default'], subscribeTo: ['default'], userData: { nickname: 'Alice' } });
    expect(await alice.nextEvent('presence')).toMatchObject({ seq: 1, joinedGroup: { default: [] }, leftGroup: {}, userDataChanged: [] });
    const bob = await user('p1-bob', { groups: ['default'], subscribeTo: ['default'] });
    expect(await bob.nextEvent('presence')).toMatchObject({
      seq: 1,
      joinedGroup: { default: [{ id: 'p1-alice', userData: { nickname: 'Alice' } }] },
    });
    expect(await alice.nextEvent('presence')).toMatchObject({
      seq: 2,
      joinedGroup: { default: [{ id: 'p1-bob', userData: {} }] },
      leftGroup: {},
      userDataChanged: [],
    });
  });

  it('join, leave, subscribe and unsubscribe', async () => {
    const watcher = await user('p2-w');
    expect((await watcher.request({ type: 'group.subscribe', group: 'lobby' })).ok).toBe(true);
    expect(await watcher.nextEvent('presence')).toMatchObject({ joinedGroup: { lobby: [] } });
    // Subscribing again is a no-op that succeeds.
    expect((await watcher.request({ type: 'group.subscribe', group: 'lobby' })).ok).toBe(true);

    const member = await user('p2-m');
    expect((await member.request({ type: 'group.join', group: 'lobby' })).ok).toBe(true);
    expect((await member.request({ type: 'group.join', group: 'lobby' })).ok).toBe(true);
    // The member gets a snapshot without the (invisible) subscriber.
    expect(await member.nextEvent('presence')).toMatchObject({ joinedGroup: { lobby: [] } });
    expect(await watcher.nextEvent('presence')).toMatchObject({ joinedGroup: { lobby: [{ id: 'p2-m' }] } });

    expect((await member.request({ type: 'group.leave', group: 'lobby' })).ok).toBe(true);
    expect(await watcher.nextEvent('presence')).toMatchObject({ joinedGroup: {}, leftGroup: { lobby: ['p2-m'] } });
    expect((await member.request({ type: 'group.leave', group: 'lobby' })).ok).toBe(true); // no-op

    expect((await watcher.request({ type: 'group.unsubscribe', group: 'lobby' })).ok).toBe(true);
    expect((await member.request({ type: 'group.join', group: 'lobby' })).ok).toBe(true);
    await member.nextEvent('presence');
    // Marker: the watcher hears about another group it watches, and nothing about lobby before it.
    expect((await watcher.request({ type: 'group.subscribe', group: 'marker' })).ok).toBe(true);
    expect(await watcher.nextEvent('presence')).toMatchObject({ joinedGroup: { marker: [] } });
    expect(watcher.pendingEvents()).toEqual([]);
  });

  it('fans user data out to watchers of any group the user is in, once each', async () => {
    const w = await user('p3-w', { groups: ['a', 'b'] });
    await w.nextEvent('presence');
    const x = await user('p3-x', { groups: ['a', 'b'] });
    await x.nextEvent('presence');
    await w.nextEvent('presence', (e) => e.joinedGroup.a !== undefined);
    expect((await x.request({ type: 'userData.set', userData: { status: 'busy' } })).ok).toBe(true);
    expect(await w.nextEvent('presence')).toMatchObject({ joinedGroup: {}, leftGroup: {}, userDataChanged: [{ id: 'p3-x', userData: { status: 'busy' } }] });
    // The user itself gets nothing about its own change.
    expect((await x.request({ type: 'group.subscribe', group: 'p3-marker' })).ok).toBe(true);
    expect(await x.nextEvent('presence')).toMatchObject({ joinedGroup: { 'p3-marker': [] } });
  });

  it('refuses user data over 16 KiB with code 9', async () => {
    const x = await user('p4-x');
    const answer = await x.request({ type: 'userData.set', userData: { blob: 'x'.repeat(17 * 1024) } });
    expect(answer).toMatchObject({ ok: false, error: { code: 9 } });
  });

  it('batches several changes of one tick into one event, and cancels join+leave', async () => {
    const w = await user('p5-w', { subscribeTo: ['g1', 'g2'] });
    await w.nextEvent('presence');
    const x = await user('p5-x');
    x.sendBatch([
      { type: 'group.join', group: 'g1' },
      { type: 'group.join', group: 'g2' },
      { type: 'userData.set', userData: { n: 1 } },
      { type: 'userData.set', userData: { n: 2 } },
    ]);
    const event = await w.nextEvent('presence');
    expect(event.joinedGroup).toEqual({ g1: [{ id: 'p5-x', userData: { n: 2 } }], g2: [{ id: 'p5-x', userData: { n: 2 } }] });
    expect(event.userDataChanged).toEqual([]);

    const y = await user('p5-y');
    y.sendBatch([
      { type: 'group.join', group: 'g1' },
      { type: 'group.leave', group: 'g1' },
    ]);
    await y.nextAnswer(y.nextId - 1);
    expect((await x.request({ type: 'userData.set', userData: { n: 3 } })).ok).toBe(true);
    // The next thing the watcher hears is x's change: y's join and leave cancelled out.
    expect(await w.nextEvent('presence')).toMatchObject({ joinedGroup: {}, leftGroup: {}, userDataChanged: [{ id: 'p5-x', userData: { n: 3 } }] });
  });

  it('one registration into several watched groups arrives as one event', async () => {
    const w = await user('p6-w', { subscribeTo: ['r1', 'r2', 'r3'] });
    await w.nextEvent('presence');
    await user('p6-x', { groups: ['r1', 'r2', 'r3'] });
    const event = await w.nextEvent('presence');
    expect(Object.keys(event.joinedGroup).sort()).toEqual(['r1', 'r2', 'r3']);
  });

  it('unregister leaves at once (watchers get leftGroup) and closes with 4000', async () => {
    const w = await user('p7-w', { groups: ['room'] });
    await w.nextEvent('presence');
    const x = await user('p7-x', { groups: ['room'] });
    await w.nextEvent('presence');
    expect((await x.request({ type: 'unregister' })).ok).toBe(true);
    expect((await x.closed).code).toBe(4000);
    expect(await w.nextEvent('presence')).toMatchObject({ leftGroup: { room: ['p7-x'] } });
  });

  it('users of different keys never see each other', async () => {
    const other = env.server.apiKeys.create({ allowChosenIds: true });
    const a = await user('p8-same', { groups: ['default'] });
    const b = await user('p8-same', { apiKey: other.key, groups: ['default'] });
    expect(await a.nextEvent('presence')).toMatchObject({ joinedGroup: { default: expect.not.arrayContaining([expect.objectContaining({ id: 'p8-same' })]) } });
    expect((await b.nextEvent('presence')).joinedGroup).toEqual({ default: [] });
    expect((await b.request({ type: 'contact.send', to: 'p8-other', kind: 'data', content: 1 })).ok).toBe(false);
  });
});
