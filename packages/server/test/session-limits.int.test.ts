/**
 * Per-session limits (issue 9, finding 7): a session that reaches one gets the documented error
 * for that request only; its connection and the other users carry on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { joinConversation, publish } from './helpers/conversation.js';
import { type Answer, TestClient } from './helpers/TestClient.js';
import { useTestServer } from './helpers/testServer.js';

const CAMERA = readFileSync(new URL('../src/media/sdp/fixtures/chromium-offer-camera.sdp', import.meta.url), 'utf8');

const env = useTestServer({
  limits: {
    maxConversationsPerSession: 3,
    maxPeersPerSession: 2,
    peerCreations: { max: 4, windowMs: 600_000 },
    maxPendingOffers: 2,
    maxPublicationsPerParticipant: 2,
    maxStreamListBytes: 2048,
    maxGroupsPerSession: 4,
    maxSubscriptionsPerSession: 3,
    maxPendingRelaysPerSession: 2,
    meshSignals: { max: 5, windowMs: 600_000 },
  },
});

function refusal(answer: Answer): { code: number; message: string } | undefined {
  return answer.ok ? undefined : answer.error;
}

/** The session still works: a ping and a message to `other` in `conversation` go through. */
async function stillWorks(client: TestClient, other: TestClient, conversation: string): Promise<void> {
  expect((await client.request({ type: 'ping' })).ok).toBe(true);
  expect((await client.request({ type: 'conv.message', conversation, content: 'still here' })).ok).toBe(true);
  expect(await other.nextEvent('conv.message', (e) => e.content === 'still here')).toMatchObject({ conversation });
}

describe('per-session limits', () => {
  it('conversations per session: one more join gets 14, re-joining one is fine, leaving frees a slot', async () => {
    const alice = await env.user('lc-alice');
    const bob = await env.user('lc-bob');
    for (const name of ['lc-1', 'lc-2', 'lc-3']) await joinConversation(alice, name);
    await joinConversation(bob, 'lc-1');
    const open = env.server.stats().conversations;
    const over = refusal(await alice.request({ type: 'conv.join', conversation: 'lc-4' }));
    expect(over).toEqual({ code: 14, message: 'too many conversations (max 3 per session)' });
    // Refused before anything was created.
    expect(env.server.stats().conversations).toBe(open);
    expect((await alice.request({ type: 'conv.join', conversation: 'lc-2' })).ok).toBe(true);
    await stillWorks(alice, bob, 'lc-1');
    expect((await alice.request({ type: 'conv.leave', conversation: 'lc-3' })).ok).toBe(true);
    await joinConversation(alice, 'lc-4');
    // Bob's own budget is his: the conversation he shares with Alice goes on.
    await joinConversation(bob, 'lc-4');
  });

  it('media peers per session: a third SFU peer gets 14; closing one frees its slot', async () => {
    const alice = await env.user('lp-alice');
    const bob = await env.user('lp-bob');
    for (const name of ['lp-1', 'lp-2', 'lp-3']) {
      await joinConversation(alice, name);
      await joinConversation(bob, name);
      expect((await publish(alice, name, 1)).ok).toBe(true);
    }
    // A subscription in an SFU room gives the subscriber a media peer.
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'lp-1', streamId: 1 })).ok).toBe(true);
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'lp-2', streamId: 1 })).ok).toBe(true);
    const over = refusal(await bob.request({ type: 'conv.subscribe', conversation: 'lp-3', streamId: 1 }));
    expect(over).toEqual({ code: 14, message: 'too many media connections (max 2 per session)' });
    await stillWorks(bob, alice, 'lp-3');
    expect((await bob.request({ type: 'conv.leave', conversation: 'lp-1' })).ok).toBe(true);
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'lp-3', streamId: 1 })).ok).toBe(true);
  });

  it('media peer creation rate: churning join/offer/leave is refused with 14 after the window budget', async () => {
    const churner = await env.user('lr-churner');
    const other = await env.user('lr-other');
    await joinConversation(other, 'lr-room');
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) {
      await joinConversation(churner, 'lr-room');
      answers.push(await churner.request({ type: 'media.publisherOffer', conversation: 'lr-room', sdp: CAMERA }, 15_000));
      expect((await churner.request({ type: 'conv.leave', conversation: 'lr-room' })).ok).toBe(true);
    }
    expect(answers.slice(0, 4).every((a) => a.ok)).toBe(true);
    for (const answer of answers.slice(4)) {
      expect(refusal(answer)).toEqual({ code: 14, message: 'media connections created too fast (max 4 per 600 s)' });
    }
    await joinConversation(churner, 'lr-room');
    await stillWorks(churner, other, 'lr-room');
    // The other participant's own media is untouched by the churner's budget.
    expect((await other.request({ type: 'media.publisherOffer', conversation: 'lr-room', sdp: CAMERA }, 15_000)).ok).toBe(true);
  });

  it('publisher offers waiting for an answer: beyond two at once 14; once answered, offers go through again', async () => {
    const alice = await env.user('lo-alice');
    const bob = await env.user('lo-bob');
    await joinConversation(alice, 'lo');
    await joinConversation(bob, 'lo');
    // One write, one tick: the SFU answers none of them before the next is handled.
    const ids = alice.sendBatch(Array.from({ length: 4 }, () => ({ type: 'media.publisherOffer', conversation: 'lo', sdp: CAMERA })));
    const answers = await Promise.all(ids.map((id) => alice.nextAnswer(id, 15_000)));
    expect(answers.slice(0, 2).every((a) => a.ok)).toBe(true);
    for (const answer of answers.slice(2)) {
      expect(refusal(answer)).toEqual({ code: 14, message: 'too many publisher offers waiting for an answer (max 2)' });
    }
    expect((await alice.request({ type: 'media.publisherOffer', conversation: 'lo', sdp: CAMERA }, 15_000)).ok).toBe(true);
    await stillWorks(alice, bob, 'lo');
  });

  it('publications per participant: a third stream gets 14; unpublishing frees a slot', async () => {
    const alice = await env.user('lpub-alice');
    const bob = await env.user('lpub-bob');
    await joinConversation(alice, 'lpub');
    await joinConversation(bob, 'lpub');
    expect((await publish(alice, 'lpub', 1)).ok).toBe(true);
    expect((await publish(alice, 'lpub', 2)).ok).toBe(true);
    expect(refusal(await publish(alice, 'lpub', 3))).toEqual({ code: 14, message: 'too many published streams (max 2 per participant)' });
    await stillWorks(alice, bob, 'lpub');
    expect((await publish(bob, 'lpub', 3)).ok).toBe(true);
    expect((await alice.request({ type: 'conv.unpublish', conversation: 'lpub', streamId: 1 })).ok).toBe(true);
    expect((await publish(alice, 'lpub', 4)).ok).toBe(true);
  });

  it('stream list size: a publication that would make the list too large gets 14, and a late joiner gets the whole list', async () => {
    const alice = await env.user('lsz-alice');
    const bob = await env.user('lsz-bob');
    await joinConversation(alice, 'lsz');
    await joinConversation(bob, 'lsz');
    const withContext = (streamId: number, bytes: number): Promise<Answer> =>
      alice.request({
        type: 'conv.publish',
        conversation: 'lsz',
        streamId,
        msid: `m${streamId}`,
        hasAudio: true,
        hasVideo: true,
        isAudioMuted: false,
        isVideoMuted: false,
        isScreensharing: false,
        context: { note: 'x'.repeat(bytes) },
      });
    expect((await withContext(1, 1000)).ok).toBe(true);
    expect(refusal(await withContext(2, 1000))).toEqual({ code: 14, message: 'stream list of this conversation full (max 2048 bytes)' });
    expect((await publish(bob, 'lsz', 3)).ok).toBe(true);
    await stillWorks(alice, bob, 'lsz');
    const late = await env.user('lsz-late');
    await joinConversation(late, 'lsz');
    const streams = [await late.nextEvent('conv.stream'), await late.nextEvent('conv.stream')].map((e) => e.stream.streamId);
    expect(streams.sort()).toEqual([1, 3]);
  });

  it('group joins and subscriptions per session: one more gets 14, repeats are no-ops, leaving frees a slot', async () => {
    const alice = await env.user('lg-alice', { groups: ['lg-a', 'lg-b'] });
    const watcher = await env.user('lg-watcher', { subscribeTo: ['lg-e'] });
    for (const group of ['lg-c', 'lg-d']) expect((await alice.request({ type: 'group.join', group })).ok).toBe(true);
    expect(refusal(await alice.request({ type: 'group.join', group: 'lg-e' }))).toEqual({ code: 14, message: 'too many groups joined (max 4 per session)' });
    expect((await alice.request({ type: 'group.join', group: 'lg-a' })).ok).toBe(true);
    for (const group of ['lg-1', 'lg-2', 'lg-3']) expect((await alice.request({ type: 'group.subscribe', group })).ok).toBe(true);
    expect(refusal(await alice.request({ type: 'group.subscribe', group: 'lg-4' }))).toEqual({
      code: 14,
      message: 'too many groups subscribed (max 3 per session)',
    });
    expect((await alice.request({ type: 'group.leave', group: 'lg-d' })).ok).toBe(true);
    expect((await alice.request({ type: 'group.join', group: 'lg-e' })).ok).toBe(true);
    // The watcher of lg-e sees her arrive: presence goes on for everyone.
    await watcher.nextEvent('presence', (e) => JSON.stringify(e).includes('lg-alice'));
  });

  it('register with more groups than allowed gets 14 and may register again on the same socket', async () => {
    const client = env.track(await TestClient.connect(env.server.url));
    const answer = await client.register({ userId: 'lg-many', groups: ['g1', 'g2', 'g3', 'g4', 'g5'] });
    expect(refusal(answer)).toEqual({ code: 14, message: 'too many groups joined (max 4 per session)' });
    expect(refusal(await client.register({ userId: 'lg-many', subscribeTo: ['s1', 's2', 's3', 's4'] }))).toEqual({
      code: 14,
      message: 'too many groups subscribed (max 3 per session)',
    });
    expect((await client.register({ userId: 'lg-many', groups: ['g1', 'g1', 'g2'] })).ok).toBe(true);
  });

  it('pending relays per session: a third unanswered relay gets 14; an answer frees a slot', async () => {
    const alice = await env.user('lrel-alice');
    const bob = await env.user('lrel-bob');
    await joinConversation(alice, 'lrel');
    await joinConversation(bob, 'lrel');
    expect((await publish(alice, 'lrel', 5)).ok).toBe(true);
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'lrel', streamId: 5 })).ok).toBe(true);
    const relay = { type: 'conv.relay', conversation: 'lrel', streamId: 5, action: 'getSettings' } as const;
    const first = bob.send({ ...relay });
    bob.send({ ...relay });
    const requests = [await alice.nextEvent('conv.relayRequest'), await alice.nextEvent('conv.relayRequest')];
    expect(refusal(await bob.request({ ...relay }))).toEqual({ code: 14, message: 'too many pending relays (max 2 per session)' });
    expect((await alice.request({ type: 'conv.relayAnswer', relayId: requests[0]?.relayId, ok: true, result: {} })).ok).toBe(true);
    expect((await bob.nextAnswer(first)).ok).toBe(true);
    bob.send({ ...relay });
    expect(await alice.nextEvent('conv.relayRequest')).toMatchObject({ from: 'lrel-bob' });
    await stillWorks(bob, alice, 'lrel');
  });

  it('mesh signals per window: beyond the budget 14, and the target keeps getting the others', async () => {
    const a = await env.user('lm-a');
    const b = await env.user('lm-b');
    const c = await env.user('lm-c');
    for (const client of [a, b, c]) await joinConversation(client, 'lm', { mesh: true });
    const payload = { kind: 'candidate', candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host' };
    for (let i = 0; i < 5; i++) expect((await a.request({ type: 'mesh.signal', conversation: 'lm', to: 'lm-b', payload })).ok).toBe(true);
    expect(refusal(await a.request({ type: 'mesh.signal', conversation: 'lm', to: 'lm-b', payload }))).toEqual({
      code: 14,
      message: 'mesh signals sent too fast (max 5 per 600 s)',
    });
    expect((await c.request({ type: 'mesh.signal', conversation: 'lm', to: 'lm-b', payload })).ok).toBe(true);
    expect(await b.nextEvent('mesh.signal', (e) => e.from === 'lm-c')).toMatchObject({ payload });
    await stillWorks(a, b, 'lm');
  });
});
