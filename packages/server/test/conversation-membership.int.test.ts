import type { PresenceEvent } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { joinConversation } from './helpers/conversation.js';
import type { TestClient } from './helpers/TestClient.js';
import { useTestServer } from './helpers/testServer.js';

/*
 * Issue 9 finding 4: a conversation's membership is owned by the conversation. Presence requests
 * on a group named like a conversation address another group, so they can neither hide a
 * participant (invisible listener), list the participants without joining, nor add a ghost.
 */

const env = useTestServer();

/** Ids listed for conversation `name` in a presence event (joins). */
const convJoins = (e: PresenceEvent, name: string): string[] => (e.joinedConversation?.[name] ?? []).map((c) => c.id);
/** Every id any presence event lists anywhere (groups or conversations). */
const listed = (e: PresenceEvent): string[] => [
  ...Object.values(e.joinedGroup)
    .flat()
    .map((c) => c.id),
  ...Object.values(e.joinedConversation ?? {})
    .flat()
    .map((c) => c.id),
];

/** Waits until `client` has seen `id` join conversation `name`. */
function seesJoin(client: TestClient, name: string, id: string): Promise<PresenceEvent> {
  return client.nextEvent('presence', (e) => convJoins(e, name).includes(id));
}

describe('conversation membership cannot be touched through presence groups', () => {
  it('conv.join then group.leave in the same tick: the listener stays visible and keeps its membership', async () => {
    const alice = await env.user('m1-alice');
    await joinConversation(alice, 'm1');
    const eve = await env.user('m1-eve');
    // The attack: both frames in one tick, so a presence join and leave would cancel out.
    const [joinId, leaveId] = eve.sendBatch([
      { type: 'conv.join', conversation: 'm1', meshModeEnabled: false, meshOnlyEnabled: false },
      { type: 'group.leave', group: 'm1' },
    ]);
    expect((await eve.nextAnswer(joinId as number)).ok).toBe(true);
    expect((await eve.nextAnswer(leaveId as number)).ok).toBe(true);
    // Eve is visible to Alice as a participant...
    await seesJoin(alice, 'm1', 'm1-eve');
    // ...and is still a participant: she receives the conversation's messages, visibly.
    expect((await alice.request({ type: 'conv.message', conversation: 'm1', content: 'secret' })).ok).toBe(true);
    expect(await eve.nextEvent('conv.message')).toMatchObject({ from: 'm1-alice', content: 'secret' });
    // A late joiner sees her too.
    const carol = await env.user('m1-carol');
    await joinConversation(carol, 'm1');
    expect(convJoins(await carol.nextEvent('presence'), 'm1').sort()).toEqual(['m1-alice', 'm1-eve']);
  });

  it('group.subscribe on a conversation name lists nothing of the conversation', async () => {
    const alice = await env.user('m2-alice');
    const bob = await env.user('m2-bob');
    await joinConversation(alice, 'm2');
    await joinConversation(bob, 'm2');
    await seesJoin(alice, 'm2', 'm2-bob');
    const eve = await env.user('m2-eve');
    expect((await eve.request({ type: 'group.subscribe', group: 'm2' })).ok).toBe(true);
    // The snapshot of the (empty) presence group m2, not of the conversation.
    const snapshot = await eve.nextEvent('presence');
    expect(snapshot.joinedGroup).toEqual({ m2: [] });
    expect(snapshot.joinedConversation).toBeUndefined();
    // A later change in the conversation does not reach the subscriber either.
    const carol = await env.user('m2-carol');
    await joinConversation(carol, 'm2');
    await seesJoin(alice, 'm2', 'm2-carol');
    expect((await eve.request({ type: 'ping' })).ok).toBe(true);
    expect(eve.pendingEvents().filter((e) => e.type === 'presence')).toEqual([]);
  });

  it('group.join on a conversation name does not make a non-participant appear in it', async () => {
    const alice = await env.user('m3-alice');
    await joinConversation(alice, 'm3');
    const eve = await env.user('m3-eve');
    expect((await eve.request({ type: 'group.join', group: 'm3' })).ok).toBe(true);
    // Someone who really joins comes next; nothing about Eve may come before (events are ordered).
    const bob = await env.user('m3-bob');
    await joinConversation(bob, 'm3');
    const events: PresenceEvent[] = [];
    for (;;) {
      const event = await alice.nextEvent('presence');
      events.push(event);
      if (convJoins(event, 'm3').includes('m3-bob')) break;
    }
    expect(events.flatMap(listed)).not.toContain('m3-eve');
    // Bob's snapshot of the conversation lists Alice only.
    expect(convJoins(await bob.nextEvent('presence'), 'm3')).toEqual(['m3-alice']);
    // Eve is not a participant: conversation requests are refused.
    const answer = await eve.request({ type: 'conv.message', conversation: 'm3', content: 'hi' });
    expect(answer).toMatchObject({ ok: false, error: { code: 16 } });
  });

  it('a presence group with the same name as a conversation still works as an ordinary group', async () => {
    const alice = await env.user('m4-alice', { groups: ['m4'] });
    expect((await alice.nextEvent('presence')).joinedGroup).toEqual({ m4: [] });
    const bob = await env.user('m4-bob');
    await joinConversation(bob, 'm4');
    expect(await bob.nextEvent('presence')).toMatchObject({ joinedGroup: {}, joinedConversation: { m4: [] } });
    expect((await bob.request({ type: 'group.join', group: 'm4' })).ok).toBe(true);
    const event = await alice.nextEvent('presence');
    expect(event.joinedGroup).toMatchObject({ m4: [{ id: 'm4-bob' }] });
    expect(event.joinedConversation).toBeUndefined();
    // Leaving the group leaves Bob in the conversation, and the other way round.
    expect((await bob.request({ type: 'group.leave', group: 'm4' })).ok).toBe(true);
    expect(await alice.nextEvent('presence')).toMatchObject({ leftGroup: { m4: ['m4-bob'] } });
    expect((await alice.request({ type: 'ping' })).ok).toBe(true);
    const carol = await env.user('m4-carol');
    await joinConversation(carol, 'm4');
    expect(convJoins(await carol.nextEvent('presence'), 'm4')).toEqual(['m4-bob']);
  });
});
