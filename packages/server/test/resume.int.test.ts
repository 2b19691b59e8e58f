import type { RegisterResult } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { joinConversation, publish } from './helpers/conversation.js';
import { type RegisterOptions, TestClient } from './helpers/TestClient.js';
import { startTestServer, type TestServer } from './helpers/testServer.js';

const clients: TestClient[] = [];
async function user(server: TestServer, userId: string, options: RegisterOptions = {}): Promise<{ client: TestClient; result: RegisterResult }> {
  const registered = await TestClient.registered(server.url, { userId, ...options });
  clients.push(registered.client);
  return registered;
}
async function reconnect(server: TestServer): Promise<TestClient> {
  const client = await TestClient.connect(server.url);
  clients.push(client);
  return client;
}
afterEach(async () => {
  for (const client of clients.splice(0)) {
    expect(client.violations).toEqual([]);
    await client.close();
  }
});

describe('resume within the window', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ limits: { resumeWindowMs: 5000 } });
  });
  afterAll(() => server.stop());

  it('replays the events missed while detached, in order, and watchers notice nothing', async () => {
    const { client: a, result } = await user(server, 'r1-a', { groups: ['room'] });
    await a.nextEvent('presence');
    const { client: b } = await user(server, 'r1-b', { groups: ['room'] });
    await b.nextEvent('presence');
    await a.nextEvent('presence');
    const lastSeq = a.lastSeq;
    await a.drop();

    // While a is away: a message and a data change reach its session.
    expect((await b.request({ type: 'contact.send', to: 'r1-a', kind: 'message', content: 'while away' })).ok).toBe(true);
    expect((await b.request({ type: 'userData.set', userData: { mood: 'waiting' } })).ok).toBe(true);

    const again = await reconnect(server);
    again.lastSeq = lastSeq;
    const answer = await again.resume(result.resumeToken, lastSeq);
    expect(answer).toMatchObject({ ok: true, data: { userId: 'r1-a', replayed: 2 } });
    expect(await again.nextEvent()).toMatchObject({ type: 'contact.message', seq: lastSeq + 1, content: 'while away' });
    expect(await again.nextEvent()).toMatchObject({ type: 'presence', seq: lastSeq + 2, userDataChanged: [{ id: 'r1-b' }] });
    // New events continue the numbering.
    expect((await b.request({ type: 'contact.send', to: 'r1-a', kind: 'data', content: 'after' })).ok).toBe(true);
    expect(await again.nextEvent()).toMatchObject({ type: 'contact.data', seq: lastSeq + 3 });
    // b never saw a leave.
    expect(b.pendingEvents()).toEqual([]);
  });

  it('answers a repeated request id with the stored answer instead of running it twice', async () => {
    const { client: a, result } = await user(server, 'r2-a');
    const { client: b } = await user(server, 'r2-b');
    const first = await a.request({ type: 'contact.send', id: 7, to: 'r2-b', kind: 'message', content: 'once' });
    expect(first.ok).toBe(true);
    expect(await b.nextEvent('contact.message')).toMatchObject({ content: 'once' });
    await a.drop();

    const again = await reconnect(server);
    expect((await again.resume(result.resumeToken, 0)).ok).toBe(true);
    const repeated = await again.request({ type: 'contact.send', id: 7, to: 'r2-b', kind: 'message', content: 'once' });
    expect(repeated).toEqual(first);
    // Delivered once: the next message b gets is the marker.
    expect((await again.request({ type: 'contact.send', id: 8, to: 'r2-b', kind: 'message', content: 'marker' })).ok).toBe(true);
    expect(await b.nextEvent('contact.message')).toMatchObject({ content: 'marker' });
  });

  it('a request sent again on resume while it still runs is run once, and answered once', async () => {
    const { client: alice } = await user(server, 'r5-alice');
    const { client: bob, result } = await user(server, 'r5-bob');
    await joinConversation(alice, 'r5', { mesh: true });
    await joinConversation(bob, 'r5', { mesh: true });
    expect((await publish(alice, 'r5', 3)).ok).toBe(true);
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'r5', streamId: 3 })).ok).toBe(true);
    // A relay stays in flight until the publisher answers it.
    const relay = { type: 'conv.relay', id: 50, conversation: 'r5', streamId: 3, action: 'getSettings' };
    bob.send(relay);
    const first = await alice.nextEvent('conv.relayRequest');
    await bob.drop();

    const again = await reconnect(server);
    const resumed = await again.resume(result.resumeToken, bob.lastSeq);
    expect(resumed.ok).toBe(true);
    again.send(relay);
    // A marker relay: had the repeated one run again, alice would get its request first.
    again.send({ type: 'conv.relay', id: 51, conversation: 'r5', streamId: 3, action: 'getCapabilities' });
    const next = await alice.nextEvent('conv.relayRequest');
    expect(next).toMatchObject({ action: 'getCapabilities' });
    expect(next.relayId).not.toBe(first.relayId);

    expect((await alice.request({ type: 'conv.relayAnswer', relayId: first.relayId, ok: true, result: { width: 320 } })).ok).toBe(true);
    expect(await again.nextAnswer(50)).toMatchObject({ ok: true, data: { result: { width: 320 } } });
    expect((await alice.request({ type: 'conv.relayAnswer', relayId: next.relayId, ok: true, result: {} })).ok).toBe(true);
    expect((await again.nextAnswer(51)).ok).toBe(true);
    expect((await again.request({ type: 'ping' })).ok).toBe(true);
    expect(again.pendingAnswers()).toEqual([]);
    // Once settled, the id is answered from memory.
    expect(await again.request(relay)).toMatchObject({ ok: true, data: { result: { width: 320 } } });
  });

  it('rotates the resume token at every resume; an old token no longer works', async () => {
    const { client: a, result } = await user(server, 'r6-a');
    await a.drop();
    const second = await reconnect(server);
    const resumed = await second.resume(result.resumeToken, 0);
    expect(resumed.ok).toBe(true);
    const token2 = resumed.data?.resumeToken as string;
    expect(token2).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(token2).not.toBe(result.resumeToken);
    await second.drop();

    const stale = await reconnect(server);
    expect(await stale.resume(result.resumeToken, 0)).toMatchObject({ ok: false, error: { code: 5, message: 'session expired' } });
    const third = await reconnect(server);
    const again = await third.resume(token2, 0);
    expect(again).toMatchObject({ ok: true, data: { userId: 'r6-a' } });
    const token3 = again.data?.resumeToken as string;
    expect(new Set([result.resumeToken, token2, token3]).size).toBe(3);
    // The token used for this resume is spent too, even while the session lives.
    const replay = await reconnect(server);
    expect(await replay.resume(token2, 0)).toMatchObject({ ok: false, error: { code: 5 } });
    expect((await third.request({ type: 'ping' })).ok).toBe(true);
  });

  it('closes a half-dead socket of the session when it is resumed elsewhere (4001)', async () => {
    const { client: a, result } = await user(server, 'r3-a');
    const other = await reconnect(server);
    expect((await other.resume(result.resumeToken, 0)).ok).toBe(true);
    expect((await a.closed).code).toBe(4001);
    expect((await other.request({ type: 'ping' })).ok).toBe(true);
  });

  it('refuses an unknown token or a lastSeq ahead of the session with code 5 "session expired"', async () => {
    const stranger = await reconnect(server);
    expect(await stranger.resume('no-such-token', 0)).toMatchObject({ ok: false, error: { code: 5, message: 'session expired' } });
    expect((await stranger.closed).code).toBe(4003);

    const { client: a, result } = await user(server, 'r4-a');
    await a.drop();
    const again = await reconnect(server);
    expect(await again.resume(result.resumeToken, 99)).toMatchObject({ ok: false, error: { code: 5, message: 'session expired' } });
    // That session is over: the id is free for a new registration.
    const fresh = await reconnect(server);
    expect((await fresh.register({ userId: 'r4-a' })).ok).toBe(true);
  });
});

describe('expiry after the window', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ limits: { resumeWindowMs: 300 } });
  });
  afterAll(() => server.stop());

  it('a dropped user leaves its groups when the window ends and cannot resume', async () => {
    const { client: w } = await user(server, 'e-w', { groups: ['room'] });
    await w.nextEvent('presence');
    const { client: x, result } = await user(server, 'e-x', { groups: ['room'] });
    await w.nextEvent('presence');
    await x.drop();
    expect(await w.nextEvent('presence')).toMatchObject({ leftGroup: { room: ['e-x'] } });
    const again = await reconnect(server);
    expect(await again.resume(result.resumeToken, 0)).toMatchObject({ ok: false, error: { code: 5, message: 'session expired' } });
  });
});
