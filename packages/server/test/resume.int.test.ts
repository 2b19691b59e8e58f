import type { RegisterResult } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
    expect(answer).toMatchObject({ ok: true, data: { userId: 'r1-a', resumeToken: result.resumeToken, replayed: 2 } });
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
