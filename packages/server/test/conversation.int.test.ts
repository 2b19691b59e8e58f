import { describe, expect, it } from 'vitest';
import { codeOf, dataOf, joinConversation, publish } from './helpers/conversation.js';
import { TestClient } from './helpers/TestClient.js';
import { useTestServer } from './helpers/testServer.js';

const env = useTestServer({ conversations: { relayTimeoutMs: 300 } });
const user = (userId: string): Promise<TestClient> => env.user(userId);

describe('conversation membership and streams', () => {
  it('join reports participants through presence (joinedConversation); leave reports leftConversation', async () => {
    const alice = await user('c1-alice');
    expect(await joinConversation(alice, 'c1')).toEqual({ mode: 'sfu', meshOnly: false });
    expect(await alice.nextEvent('presence')).toMatchObject({ joinedGroup: {}, joinedConversation: { c1: [] } });
    const bob = await user('c1-bob');
    await joinConversation(bob, 'c1');
    expect(await bob.nextEvent('presence')).toMatchObject({ joinedGroup: {}, joinedConversation: { c1: [{ id: 'c1-alice' }] } });
    expect(await alice.nextEvent('presence')).toMatchObject({ joinedGroup: {}, joinedConversation: { c1: [{ id: 'c1-bob' }] } });
    expect((await bob.request({ type: 'conv.leave', conversation: 'c1' })).ok).toBe(true);
    expect(await alice.nextEvent('presence')).toMatchObject({ leftGroup: {}, leftConversation: { c1: ['c1-bob'] } });
    // Joining twice is a no-op that succeeds.
    expect(await joinConversation(alice, 'c1')).toEqual({ mode: 'sfu', meshOnly: false });
  });

  it('refuses conversation requests before join (16) and unknown streams (8)', async () => {
    const alice = await user('c2-alice');
    expect(codeOf(await publish(alice, 'c2', 1))).toBe(16);
    expect(codeOf(await alice.request({ type: 'conv.message', conversation: 'c2', content: 'hi' }))).toBe(16);
    expect(codeOf(await alice.request({ type: 'conv.leave', conversation: 'c2' }))).toBe(16);
    await joinConversation(alice, 'c2');
    expect(codeOf(await alice.request({ type: 'conv.subscribe', conversation: 'c2', streamId: 42 }))).toBe(8);
    expect(codeOf(await alice.request({ type: 'conv.unpublish', conversation: 'c2', streamId: 42 }))).toBe(8);
    expect(codeOf(await alice.request({ type: 'conv.relay', conversation: 'c2', streamId: 42, action: 'getSettings' }))).toBe(8);
    // Someone else in another conversation is not in this one.
    const bob = await user('c2-bob');
    await joinConversation(bob, 'c2-other');
    expect(codeOf(await bob.request({ type: 'conv.message', conversation: 'c2', content: 'hi' }))).toBe(16);
    // Schema failures still answer 9.
    expect(codeOf(await alice.request({ type: 'conv.publish', conversation: 'c2', streamId: -1 }))).toBe(9);
  });

  it('publish reaches everyone (publisher included); late joiners get existing streams after the answer', async () => {
    const alice = await user('c3-alice');
    const bob = await user('c3-bob');
    await joinConversation(alice, 'c3');
    await joinConversation(bob, 'c3');
    const published = await publish(alice, 'c3', 7, 'ms-7');
    expect(published.ok).toBe(true);
    const callId = dataOf<{ callId: string }>(published).callId;
    expect(callId).toMatch(/^[0-9]{1,16}$/);
    for (const client of [alice, bob]) {
      expect(await client.nextEvent('conv.stream')).toMatchObject({
        conversation: 'c3',
        change: 'added',
        stream: { streamId: 7, callId, publisherId: 'c3-alice', hasAudio: true, hasVideo: true },
      });
    }
    expect(codeOf(await publish(alice, 'c3', 7))).toBe(0);

    const carol = await user('c3-carol');
    const answerId = carol.send({ type: 'conv.join', conversation: 'c3', meshModeEnabled: false, meshOnlyEnabled: false });
    expect((await carol.nextAnswer(answerId)).ok).toBe(true);
    expect(await carol.nextEvent('conv.stream')).toMatchObject({ change: 'added', stream: { streamId: 7, callId } });

    expect(
      (
        await alice.request({
          type: 'conv.updateStream',
          conversation: 'c3',
          streamId: 7,
          hasAudio: true,
          hasVideo: true,
          isAudioMuted: true,
          isVideoMuted: false,
        })
      ).ok,
    ).toBe(true);
    for (const client of [alice, bob, carol]) {
      expect(await client.nextEvent('conv.stream')).toMatchObject({ change: 'updated', stream: { streamId: 7, isAudioMuted: true } });
    }
    // Only the publisher may change or withdraw its stream.
    expect(codeOf(await bob.request({ type: 'conv.unpublish', conversation: 'c3', streamId: 7 }))).toBe(14);
  });

  it('unpublish sends removed to all and subscriptionEnded to subscribers', async () => {
    const alice = await user('c4-alice');
    const bob = await user('c4-bob');
    const carol = await user('c4-carol');
    for (const c of [alice, bob, carol]) await joinConversation(c, 'c4', { mesh: true });
    expect((await publish(alice, 'c4', 9)).ok).toBe(true);
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'c4', streamId: 9 })).ok).toBe(true);
    expect(codeOf(await alice.request({ type: 'conv.subscribe', conversation: 'c4', streamId: 9 }))).toBe(9);
    expect((await alice.request({ type: 'conv.unpublish', conversation: 'c4', streamId: 9 })).ok).toBe(true);
    expect(await bob.nextEvent('conv.subscriptionEnded')).toMatchObject({ conversation: 'c4', streamId: 9, reason: 'unpublished' });
    for (const c of [alice, bob, carol]) expect(await c.nextEvent('conv.stream', (e) => e.change === 'removed')).toMatchObject({ stream: { streamId: 9 } });
    expect(carol.pendingEvents().some((e) => e.type === 'conv.subscriptionEnded')).toBe(false);
  });

  it('message, data and customEvent reach the other participants only', async () => {
    const alice = await user('c5-alice');
    const bob = await user('c5-bob');
    const carol = await user('c5-carol');
    const outsider = await user('c5-out');
    for (const c of [alice, bob, carol]) await joinConversation(c, 'c5');
    await joinConversation(outsider, 'c5-elsewhere');
    const sent = await alice.request({ type: 'conv.message', conversation: 'c5', content: 'hello', metadata: { k: 1 } });
    expect(sent.ok).toBe(true);
    const uuid = dataOf<{ uuid: number }>(sent).uuid;
    expect((await alice.request({ type: 'conv.data', conversation: 'c5', content: { x: [1, 2] } })).ok).toBe(true);
    expect((await alice.request({ type: 'conv.customEvent', conversation: 'c5', event: 'raise-hand', content: true })).ok).toBe(true);
    for (const c of [bob, carol]) {
      expect(await c.nextEvent('conv.message')).toMatchObject({ conversation: 'c5', from: 'c5-alice', content: 'hello', uuid, metadata: { k: 1 } });
      expect(await c.nextEvent('conv.data')).toMatchObject({ from: 'c5-alice', content: { x: [1, 2] } });
      expect(await c.nextEvent('conv.customEvent')).toMatchObject({ from: 'c5-alice', event: 'raise-hand', content: true });
    }
    // A ping round trip after the fan-out: anything for alice or the outsider would have arrived.
    await alice.request({ type: 'ping' });
    await outsider.request({ type: 'ping' });
    const types = (c: TestClient): string[] => c.pendingEvents().map((e) => e.type);
    expect(types(alice).filter((t) => t.startsWith('conv.'))).toEqual([]);
    expect(types(outsider).filter((t) => t.startsWith('conv.'))).toEqual([]);
  });

  it('relay round trip, publisher error, timeout (11), and constraintsChanged to subscribers', async () => {
    const alice = await user('c6-alice');
    const bob = await user('c6-bob');
    const carol = await user('c6-carol');
    for (const c of [alice, bob, carol]) await joinConversation(c, 'c6', { mesh: true });
    expect((await publish(alice, 'c6', 3)).ok).toBe(true);
    // Relays are for subscribers of the stream.
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'c6', streamId: 3 })).ok).toBe(true);

    const okId = bob.send({ type: 'conv.relay', conversation: 'c6', streamId: 3, action: 'getSettings' });
    const request = await alice.nextEvent('conv.relayRequest');
    expect(request).toMatchObject({ conversation: 'c6', from: 'c6-bob', streamId: 3, action: 'getSettings' });
    expect((await alice.request({ type: 'conv.relayAnswer', relayId: request.relayId, ok: true, result: { width: 640 } })).ok).toBe(true);
    expect(await bob.nextAnswer(okId)).toMatchObject({ ok: true, data: { result: { width: 640 } } });
    // A second answer to the same relay: it is gone.
    expect(codeOf(await alice.request({ type: 'conv.relayAnswer', relayId: request.relayId, ok: true }))).toBe(8);

    const failId = bob.send({ type: 'conv.relay', conversation: 'c6', streamId: 3, action: 'applyConstraints', args: { width: 1 } });
    const failing = await alice.nextEvent('conv.relayRequest');
    expect(failing.args).toEqual({ width: 1 });
    // Only the publisher may answer (Carol, not a subscriber, may not even ask: code 4).
    expect(codeOf(await carol.request({ type: 'conv.relay', conversation: 'c6', streamId: 3, action: 'getSettings' }))).toBe(4);
    expect(codeOf(await carol.request({ type: 'conv.relayAnswer', relayId: failing.relayId, ok: true }))).toBe(8);
    await alice.request({ type: 'conv.relayAnswer', relayId: failing.relayId, ok: false, error: 'OverconstrainedError' });
    expect(await bob.nextAnswer(failId)).toMatchObject({ ok: false, error: { code: 0, message: 'OverconstrainedError' } });

    const slowId = bob.send({ type: 'conv.relay', conversation: 'c6', streamId: 3, action: 'getCapabilities' });
    await alice.nextEvent('conv.relayRequest');
    expect(await bob.nextAnswer(slowId)).toMatchObject({ ok: false, error: { code: 11, message: 'relay timed out' } });

    expect((await alice.request({ type: 'conv.constraintsChanged', conversation: 'c6', streamId: 3, constraints: { width: 320 } })).ok).toBe(true);
    expect(await bob.nextEvent('conv.constraintsChanged')).toMatchObject({ streamId: 3, constraints: { width: 320 } });
    await carol.request({ type: 'ping' });
    expect(carol.pendingEvents().some((e) => e.type === 'conv.constraintsChanged')).toBe(false);
  });

  it('a relay fails at once when the publisher leaves; a requester that left is not answered', async () => {
    const alice = await user('c9-alice');
    const bob = await user('c9-bob');
    await joinConversation(alice, 'c9');
    await joinConversation(bob, 'c9');
    expect((await publish(alice, 'c9', 8)).ok).toBe(true);
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'c9', streamId: 8 })).ok).toBe(true);
    const goneId = bob.send({ type: 'conv.relay', conversation: 'c9', streamId: 8, action: 'getSettings' });
    const forgotten = await alice.nextEvent('conv.relayRequest');
    expect((await bob.request({ type: 'conv.leave', conversation: 'c9' })).ok).toBe(true);
    expect(codeOf(await alice.request({ type: 'conv.relayAnswer', relayId: forgotten.relayId, ok: true }))).toBe(8);
    await joinConversation(bob, 'c9');
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'c9', streamId: 8 })).ok).toBe(true);
    const pendingId = bob.send({ type: 'conv.relay', conversation: 'c9', streamId: 8, action: 'getSettings' });
    await alice.nextEvent('conv.relayRequest');
    expect((await alice.request({ type: 'conv.leave', conversation: 'c9' })).ok).toBe(true);
    expect(await bob.nextAnswer(pendingId)).toMatchObject({ ok: false, error: { code: 8 } });
    await bob.request({ type: 'ping' });
    await expect(bob.nextAnswer(goneId, 100)).rejects.toThrow('timed out');
  });

  it('a session that ends leaves: others get removed, subscriptionEnded and leftConversation', async () => {
    const alice = await user('c7-alice');
    const bob = await user('c7-bob');
    await joinConversation(alice, 'c7', { mesh: true });
    await joinConversation(bob, 'c7', { mesh: true });
    expect((await publish(alice, 'c7', 5)).ok).toBe(true);
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'c7', streamId: 5 })).ok).toBe(true);
    expect((await alice.request({ type: 'unregister' })).ok).toBe(true);
    expect(await bob.nextEvent('conv.subscriptionEnded')).toMatchObject({ streamId: 5 });
    expect(await bob.nextEvent('conv.stream', (e) => e.change === 'removed')).toMatchObject({ stream: { streamId: 5, publisherId: 'c7-alice' } });
    expect(await bob.nextEvent('presence', (e) => Object.keys(e.leftConversation ?? {}).length > 0)).toMatchObject({ leftConversation: { c7: ['c7-alice'] } });
    expect(env.server.stats().conversations).toBeGreaterThanOrEqual(1);
    expect((await bob.request({ type: 'conv.leave', conversation: 'c7' })).ok).toBe(true);
  });

  it('a socket drop within the resume window keeps the participant', async () => {
    const { client: alice, result } = await TestClient.registered(env.server.url, { userId: 'c8-alice' });
    const bob = await user('c8-bob');
    await joinConversation(alice, 'c8');
    await joinConversation(bob, 'c8');
    expect((await publish(alice, 'c8', 11)).ok).toBe(true);
    await alice.nextEvent('conv.stream');
    await alice.drop();
    expect((await bob.request({ type: 'conv.message', conversation: 'c8', content: 'still there?' })).ok).toBe(true);
    const again = await TestClient.connect(env.server.url);
    env.track(again);
    again.lastSeq = alice.lastSeq;
    expect((await again.resume(result.resumeToken)).ok).toBe(true);
    expect(await again.nextEvent('conv.message')).toMatchObject({ content: 'still there?' });
    expect((await again.request({ type: 'conv.message', conversation: 'c8', content: 'yes' })).ok).toBe(true);
    expect(bob.pendingEvents().some((e) => e.type === 'conv.stream' && e.change === 'removed')).toBe(false);
  });
});
