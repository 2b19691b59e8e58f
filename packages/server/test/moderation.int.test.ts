import type { RegisterResult, ServerEvent } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, dataOf, publish } from './helpers/conversation.js';
import { mintToken } from '../src/auth/mintToken.js';
import { TestClient } from './helpers/TestClient.js';
import { startTestServer, type TestServer } from './helpers/testServer.js';

/*
 * Issue 11, server side of moderation: a guest of a moderated conversation waits outside it and
 * receives nothing of it; only a moderator decides; an ejected user is out and comes back only
 * through the waiting room. Raw WebSocket clients, so what the server sends is seen frame by frame.
 */

interface JoinData {
  mode: string;
  meshOnly: boolean;
  moderation?: { role: string; waiting: boolean; moderator?: { id: string } };
}

let server: TestServer;
const clients: TestClient[] = [];
beforeAll(async () => {
  server = await startTestServer({ limits: { resumeWindowMs: 1_500 } });
});
afterAll(() => server.stop());
afterEach(async () => {
  for (const client of clients.splice(0)) {
    expect(client.violations).toEqual([]);
    await client.close();
  }
});

async function user(userId: string): Promise<{ client: TestClient; result: RegisterResult }> {
  const registered = await TestClient.registered(server.url, { userId, userData: { nickname: `nick-${userId}` } });
  clients.push(registered.client);
  return registered;
}
const client = async (userId: string): Promise<TestClient> => (await user(userId)).client;

function join(c: TestClient, conversation: string, moderator: boolean, moderationEnabled = true): Promise<JoinData> {
  return c
    .request({ type: 'conv.join', conversation, meshModeEnabled: false, meshOnlyEnabled: false, moderationEnabled, moderator })
    .then((a) => dataOf<JoinData>(a));
}

/** Every event `c` got so far, after a round trip (what the server sent before is in). */
async function drained(c: TestClient): Promise<ServerEvent[]> {
  expect((await c.request({ type: 'ping' })).ok).toBe(true);
  return c.pendingEvents();
}

/** Events that would leak the conversation to someone outside it. */
function leaks(events: ServerEvent[], conversation: string): ServerEvent[] {
  return events.filter((e) => {
    if (e.type === 'presence') return Object.keys(e.joinedConversation ?? {}).includes(conversation);
    return 'conversation' in e && e.conversation === conversation && e.type !== 'conv.moderator';
  });
}

describe('waiting room', () => {
  it('moderator enters at once; guests wait, see nothing, cannot act; allow / deny / eject follow the rules', async () => {
    const mod = await client('w1-mod');
    const g1 = await client('w1-g1');
    const g2 = await client('w1-g2');
    expect(await join(mod, 'w1', true)).toEqual({ mode: 'sfu', meshOnly: false, moderation: { role: 'moderator', waiting: false } });

    // Two guests at once; one of them asks for the role too, which is taken.
    expect(await join(g1, 'w1', false)).toMatchObject({ moderation: { role: 'guest', waiting: true, moderator: { id: 'w1-mod' } } });
    expect(await join(g2, 'w1', true)).toMatchObject({ moderation: { role: 'guest', waiting: true, moderator: { id: 'w1-mod' } } });
    expect(await mod.nextEvent('conv.waitingRoom')).toMatchObject({ change: 'joined', contact: { id: 'w1-g1', userData: { nickname: 'nick-w1-g1' } } });
    expect(await mod.nextEvent('conv.waitingRoom')).toMatchObject({ change: 'joined', contact: { id: 'w1-g2' } });

    // Everything a participant can produce, while the guests wait.
    expect((await publish(mod, 'w1', 11)).ok).toBe(true);
    expect((await mod.request({ type: 'conv.message', conversation: 'w1', content: 'secret' })).ok).toBe(true);
    expect((await mod.request({ type: 'conv.data', conversation: 'w1', content: { secret: 1 } })).ok).toBe(true);
    expect((await mod.request({ type: 'conv.customEvent', conversation: 'w1', event: 'e', content: {} })).ok).toBe(true);
    for (const guest of [g1, g2]) {
      expect(leaks(await drained(guest), 'w1')).toEqual([]);
      // Nor may a waiting guest act in the conversation.
      expect(codeOf(await publish(guest, 'w1', 21))).toBe(16);
      expect(codeOf(await guest.request({ type: 'conv.subscribe', conversation: 'w1', streamId: 11 }))).toBe(16);
      expect(codeOf(await guest.request({ type: 'conv.message', conversation: 'w1', content: 'hi' }))).toBe(16);
      expect(codeOf(await guest.request({ type: 'conv.data', conversation: 'w1', content: 1 }))).toBe(16);
      expect(codeOf(await guest.request({ type: 'conv.customEvent', conversation: 'w1', event: 'e', content: 1 }))).toBe(16);
      expect(codeOf(await guest.request({ type: 'media.publisherOffer', conversation: 'w1', sdp: 'v=0\r\n' }))).toBe(16);
      // Nor let itself (or the other) in.
      expect(codeOf(await guest.request({ type: 'conv.allowEntry', conversation: 'w1', userId: guest === g1 ? 'w1-g1' : 'w1-g2' }))).toBe(16);
    }
    const modEvents = (await drained(mod)).filter((e) => e.type !== 'conv.stream' && e.type !== 'presence');
    expect(modEvents).toEqual([]);

    // Allowed: g1 becomes a participant and gets the stream list.
    expect((await mod.request({ type: 'conv.allowEntry', conversation: 'w1', userId: 'w1-g1' })).ok).toBe(true);
    expect(await g1.nextEvent('conv.entry')).toMatchObject({ decision: 'allowed', mode: 'sfu', meshOnly: false });
    expect(await g1.nextEvent('conv.stream')).toMatchObject({ change: 'added', stream: { streamId: 11, publisherId: 'w1-mod' } });
    expect(await mod.nextEvent('conv.waitingRoom')).toMatchObject({ change: 'left', contact: { id: 'w1-g1' } });
    // Allowed twice (a second moderator's late answer): nobody waits any more.
    expect(codeOf(await mod.request({ type: 'conv.allowEntry', conversation: 'w1', userId: 'w1-g1' }))).toBe(8);

    // Denied: g2 is told why and is nowhere.
    expect((await mod.request({ type: 'conv.denyEntry', conversation: 'w1', userId: 'w1-g2', reason: 'full' })).ok).toBe(true);
    expect(await g2.nextEvent('conv.entry')).toMatchObject({ decision: 'denied', reason: 'full' });
    expect(await mod.nextEvent('conv.waitingRoom')).toMatchObject({ change: 'left', contact: { id: 'w1-g2' } });
    expect(codeOf(await g2.request({ type: 'conv.message', conversation: 'w1', content: 'hi' }))).toBe(16);

    // g1, a participant but not a moderator, cannot decide.
    expect(codeOf(await g1.request({ type: 'conv.eject', conversation: 'w1', userId: 'w1-mod' }))).toBe(4);
    expect(codeOf(await g1.request({ type: 'conv.denyEntry', conversation: 'w1', userId: 'w1-g2' }))).toBe(4);
    expect(codeOf(await g1.request({ type: 'conv.allowEntry', conversation: 'w1', userId: 'w1-g2' }))).toBe(4);

    // Ejected: g1 hears it, is out, and comes back only through the waiting room.
    expect((await mod.request({ type: 'conv.eject', conversation: 'w1', userId: 'w1-g1', reason: 'rude' })).ok).toBe(true);
    expect(await g1.nextEvent('conv.ejected')).toMatchObject({ userId: 'w1-g1', reason: 'rude' });
    expect(await mod.nextEvent('conv.ejected')).toMatchObject({ userId: 'w1-g1' });
    expect(codeOf(await g1.request({ type: 'conv.message', conversation: 'w1', content: 'still here?' }))).toBe(16);
    expect((await mod.request({ type: 'conv.message', conversation: 'w1', content: 'after' })).ok).toBe(true);
    expect(await join(g1, 'w1', true)).toMatchObject({ moderation: { role: 'guest', waiting: true } });
    expect(await mod.nextEvent('conv.waitingRoom')).toMatchObject({ change: 'joined', contact: { id: 'w1-g1' } });
    expect(leaks(await drained(g1), 'w1').filter((e) => e.type === 'conv.message')).toEqual([]);
  });

  it('a client that omits moderationEnabled does not walk into a moderated conversation', async () => {
    const mod = await client('w2-mod');
    const guest = await client('w2-g');
    await join(mod, 'w2', true);
    expect(await join(guest, 'w2', true, false)).toMatchObject({ moderation: { role: 'guest', waiting: true } });
    expect(await mod.nextEvent('conv.waitingRoom')).toMatchObject({ change: 'joined', contact: { id: 'w2-g' } });
  });

  it('a guest who cancels, or whose session ends, leaves the moderator list', async () => {
    const mod = await client('w3-mod');
    const g1 = await client('w3-g1');
    const g2 = await client('w3-g2');
    await join(mod, 'w3', true);
    await join(g1, 'w3', false);
    await join(g2, 'w3', false);
    expect((await g1.request({ type: 'conv.leave', conversation: 'w3' })).ok).toBe(true);
    expect(codeOf(await g1.request({ type: 'conv.leave', conversation: 'w3' }))).toBe(16);
    expect((await g2.request({ type: 'unregister' })).ok).toBe(true);
    const changes = [];
    for (let i = 0; i < 4; i++) {
      const e = await mod.nextEvent('conv.waitingRoom');
      changes.push(`${e.change} ${e.contact.id}`);
    }
    expect(changes).toEqual(['joined w3-g1', 'joined w3-g2', 'left w3-g1', 'left w3-g2']);
  });
});

describe('moderator comings and goings', () => {
  it('a guest waits before any moderator and learns when one arrives; the moderator sees who waits', async () => {
    const guest = await client('m1-g');
    const mod = await client('m1-mod');
    expect(await join(guest, 'm1', false)).toEqual({ mode: 'sfu', meshOnly: false, moderation: { role: 'guest', waiting: true } });
    await join(mod, 'm1', true);
    expect(await mod.nextEvent('conv.waitingRoom')).toMatchObject({ change: 'joined', contact: { id: 'm1-g' } });
    expect(await guest.nextEvent('conv.moderator')).toMatchObject({ moderator: { id: 'm1-mod' } });
  });

  it('the moderator leaving and coming back keeps the role and the waiting room', async () => {
    const mod = await client('m2-mod');
    const guest = await client('m2-g');
    const other = await client('m2-other');
    await join(mod, 'm2', true);
    await join(guest, 'm2', false);
    await mod.nextEvent('conv.waitingRoom');
    expect((await mod.request({ type: 'conv.leave', conversation: 'm2' })).ok).toBe(true);
    // While it is away the role stays with it: another user asking for it waits too.
    expect(await join(other, 'm2', true)).toMatchObject({ moderation: { role: 'guest', waiting: true } });
    expect(await join(mod, 'm2', true)).toMatchObject({ moderation: { role: 'moderator', waiting: false } });
    const waiting = [await mod.nextEvent('conv.waitingRoom'), await mod.nextEvent('conv.waitingRoom')].map((e) => e.contact.id);
    expect(waiting).toEqual(['m2-g', 'm2-other']);
    expect(await guest.nextEvent('conv.moderator')).toMatchObject({ moderator: { id: 'm2-mod' } });
    expect((await mod.request({ type: 'conv.allowEntry', conversation: 'm2', userId: 'm2-g' })).ok).toBe(true);
    expect(await guest.nextEvent('conv.entry')).toMatchObject({ decision: 'allowed' });
  });

  it('a moderator reconnecting within the resume window stays moderator and misses no arrival', async () => {
    const { client: mod, result } = await user('m3-mod');
    const guest = await client('m3-g');
    await join(mod, 'm3', true);
    const lastSeq = mod.lastSeq;
    await mod.drop();
    await join(guest, 'm3', false);
    const again = await TestClient.connect(server.url);
    clients.push(again);
    again.lastSeq = lastSeq;
    // Request ids go on from the dropped socket's (a repeated id gets its stored answer).
    again.nextId = mod.nextId;
    expect((await again.resume(result.resumeToken, lastSeq)).ok).toBe(true);
    expect(await again.nextEvent('conv.waitingRoom')).toMatchObject({ change: 'joined', contact: { id: 'm3-g' } });
    expect((await again.request({ type: 'conv.allowEntry', conversation: 'm3', userId: 'm3-g' })).ok).toBe(true);
    expect(await guest.nextEvent('conv.entry')).toMatchObject({ decision: 'allowed' });
  });

  it('when the moderator session ends (after the resume window) guests keep waiting and the next one asking becomes moderator', async () => {
    const mod = await client('m4-mod');
    const guest = await client('m4-g');
    await join(mod, 'm4', true);
    await join(guest, 'm4', false);
    await mod.drop();
    // The role is free once the session is gone; until then it is held (the moderator may resume).
    const next = await client('m4-next');
    let answer = await join(next, 'm4', true);
    while (answer.moderation?.waiting) {
      expect((await next.request({ type: 'conv.leave', conversation: 'm4' })).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      answer = await join(next, 'm4', true);
    }
    expect(answer.moderation).toEqual({ role: 'moderator', waiting: false });
    expect(await guest.nextEvent('conv.moderator')).toMatchObject({ moderator: { id: 'm4-next' } });
    expect(leaks(await drained(guest), 'm4')).toEqual([]);
    expect((await next.request({ type: 'conv.allowEntry', conversation: 'm4', userId: 'm4-g' })).ok).toBe(true);
    expect(await guest.nextEvent('conv.entry')).toMatchObject({ decision: 'allowed' });
  });
});

describe('a waiting guest asking for a free role', () => {
  it('becomes moderator and leaves the waiting room', async () => {
    const guest = await client('p1-g');
    const other = await client('p1-o');
    // Nobody holds the role yet, but the guest did not ask for it: it waits.
    await join(guest, 'p1', false);
    await join(other, 'p1', false);
    expect(await join(guest, 'p1', true)).toEqual({ mode: 'sfu', meshOnly: false, moderation: { role: 'moderator', waiting: false } });
    // It sees the other waiting user, not itself.
    expect(await guest.nextEvent('conv.waitingRoom')).toMatchObject({ change: 'joined', contact: { id: 'p1-o' } });
    expect((await guest.request({ type: 'conv.allowEntry', conversation: 'p1', userId: 'p1-g' })).ok).toBe(false);
    expect((await guest.request({ type: 'conv.allowEntry', conversation: 'p1', userId: 'p1-o' })).ok).toBe(true);
    expect(await other.nextEvent('conv.moderator')).toMatchObject({ moderator: { id: 'p1-g' } });
    expect(await other.nextEvent('conv.entry')).toMatchObject({ decision: 'allowed' });
  });
});

describe('moderator rights on streams', () => {
  it('a moderator may relay to a stream without subscribing; a guest participant may not', async () => {
    const mod = await client('r1-mod');
    const guest = await client('r1-g');
    const other = await client('r1-o');
    await join(mod, 'r1', true);
    await join(guest, 'r1', false);
    await join(other, 'r1', false);
    for (const id of ['r1-g', 'r1-o']) expect((await mod.request({ type: 'conv.allowEntry', conversation: 'r1', userId: id })).ok).toBe(true);
    expect((await publish(guest, 'r1', 31)).ok).toBe(true);
    expect(codeOf(await other.request({ type: 'conv.relay', conversation: 'r1', streamId: 31, action: 'disableAudio' }))).toBe(4);
    const relayed = mod.request({ type: 'conv.relay', conversation: 'r1', streamId: 31, action: 'disableAudio' });
    const asked = await guest.nextEvent('conv.relayRequest');
    expect(asked).toMatchObject({ from: 'r1-mod', streamId: 31, action: 'disableAudio' });
    expect((await guest.request({ type: 'conv.relayAnswer', relayId: asked.relayId, ok: true, result: null })).ok).toBe(true);
    expect((await relayed).ok).toBe(true);
  });
});

describe('who may be moderator', () => {
  it('on a key with --moderator-grant only tokens with the grant get the role, several at once; asking is not enough', async () => {
    const key = server.apiKeys.create({ moderatorGrant: true });
    const registered = async (userId: string, moderator: boolean | string[] | null): Promise<TestClient> => {
      let token: string | undefined;
      if (moderator === true || moderator === false) token = await mintToken(key, { userId, moderator });
      else if (moderator !== null) {
        // A grant limited to some conversations (Parley claim, list of names).
        const { SignJWT } = await import('jose');
        const now = Math.floor(Date.now() / 1000);
        token = await new SignJWT({ grants: { apiRTC_UserAgent_Id: userId, parley_moderator: moderator } })
          .setProtectedHeader({ alg: 'HS256' })
          .setAudience('apiRTC')
          .setSubject(key.key)
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(new TextEncoder().encode(key.secret));
      }
      const { client: c } = await TestClient.registered(server.url, { apiKey: key.key, userId, ...(token ? { token } : {}) });
      clients.push(c);
      return c;
    };
    // First come but no grant (anonymous, and identified without the claim): guests.
    const anonymous = await registered('g-anon', null);
    const plainToken = await registered('g-plain', false);
    expect(await join(anonymous, 'g1', true)).toMatchObject({ moderation: { role: 'guest', waiting: true } });
    expect(await join(plainToken, 'g1', true)).toMatchObject({ moderation: { role: 'guest', waiting: true } });
    const elsewhere = await registered('g-elsewhere', ['other-room']);
    expect(await join(elsewhere, 'g1', true)).toMatchObject({ moderation: { role: 'guest', waiting: true } });
    const first = await registered('g-mod1', true);
    const second = await registered('g-mod2', ['g1']);
    expect(await join(first, 'g1', true)).toMatchObject({ moderation: { role: 'moderator', waiting: false } });
    expect(await join(second, 'g1', true)).toMatchObject({ moderation: { role: 'moderator', waiting: false } });
    // The first answer wins; the other moderator's comes too late.
    expect((await second.request({ type: 'conv.allowEntry', conversation: 'g1', userId: 'g-plain' })).ok).toBe(true);
    expect(codeOf(await first.request({ type: 'conv.denyEntry', conversation: 'g1', userId: 'g-plain' }))).toBe(8);
    expect(await plainToken.nextEvent('conv.entry')).toMatchObject({ decision: 'allowed' });
  });
});

describe('bad input', () => {
  it('is refused with a clear code and the connection carries on', async () => {
    const mod = await client('b1-mod');
    const plain = await client('b1-plain');
    await join(mod, 'b1', true);
    expect(codeOf(await mod.request({ type: 'conv.allowEntry', conversation: 'b1' }))).toBe(9);
    expect(codeOf(await mod.request({ type: 'conv.allowEntry', conversation: 'b1', userId: '' }))).toBe(9);
    expect(codeOf(await mod.request({ type: 'conv.eject', conversation: 'b1', userId: 'x', reason: 'r'.repeat(2000) }))).toBe(9);
    expect(codeOf(await mod.request({ type: 'conv.denyEntry', conversation: 'b1', userId: 'nobody' }))).toBe(8);
    expect(codeOf(await mod.request({ type: 'conv.eject', conversation: 'b1', userId: 'nobody' }))).toBe(8);
    expect(codeOf(await mod.request({ type: 'conv.eject', conversation: 'b1', userId: 'b1-mod' }))).toBe(9);
    expect(codeOf(await mod.request({ type: 'conv.allowEntry', conversation: 'elsewhere', userId: 'b1-plain' }))).toBe(16);
    // In a conversation that is not moderated nobody decides.
    await join(plain, 'b1-open', false, false);
    expect(codeOf(await plain.request({ type: 'conv.allowEntry', conversation: 'b1-open', userId: 'b1-mod' }))).toBe(16);
    expect((await mod.request({ type: 'ping' })).ok).toBe(true);
  });
});
