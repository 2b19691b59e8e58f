import type { RegisterResult } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKey } from '../src/index.js';
import { type Answer, TestClient } from './helpers/TestClient.js';
import { startTestServer, type TestServer } from './helpers/testServer.js';
import { tokenFor } from './helpers/tokens.js';

const clients: TestClient[] = [];
async function connect(server: TestServer, origin?: string): Promise<TestClient> {
  const client = await TestClient.connect(server.url, { origin });
  clients.push(client);
  return client;
}
afterEach(async () => {
  for (const client of clients.splice(0)) {
    expect(client.violations).toEqual([]);
    await client.close();
  }
});

function refusal(answer: Answer): string {
  expect(answer.ok).toBe(false);
  if (answer.ok) throw new Error('unreachable');
  expect(answer.error.code).toBe(5);
  return answer.error.message;
}

describe('registration', () => {
  let server: TestServer;
  let key: ApiKey;

  beforeAll(async () => {
    server = await startTestServer({ limits: { handshakeTimeoutMs: 1000 } });
    key = server.apiKeys.create({ label: 'tokens' });
  });
  afterAll(() => server.stop());

  it('gives an anonymous user a numeric id and the session parameters', async () => {
    const client = await connect(server);
    const answer = await client.register();
    expect(answer.ok).toBe(true);
    const result = (answer as { data: RegisterResult }).data;
    expect(result.userId).toMatch(/^[1-9]\d{6,8}$/);
    expect(result).toMatchObject({ resumeWindowMs: 10_000, heartbeatMs: 20_000, serverVersion: expect.any(String) });
    expect(result.resumeToken.length).toBeGreaterThan(16);
  });

  it('honours a requested anonymous id and refuses it while present (code 5, close 4003)', async () => {
    const first = await connect(server);
    expect((await first.register({ userId: 'visitor-1' })).ok).toBe(true);
    const second = await connect(server);
    expect(refusal(await second.register({ userId: 'visitor-1' }))).toBe('id visitor-1 is already in use');
    expect((await second.closed).code).toBe(4003);
    // The first one is untouched.
    expect((await first.request({ type: 'ping' })).ok).toBe(true);
  });

  it('accepts an identified user with a token minted like the CLI does', async () => {
    const client = await connect(server);
    const answer = await client.register({ apiKey: key.key, userId: 'alice', token: await tokenFor(key, { user: 'alice' }) });
    expect(answer).toMatchObject({ ok: true, data: { userId: 'alice' } });
  });

  it('accepts any id with an ApiKey_Token grant', async () => {
    const client = await connect(server);
    const token = await tokenFor(key, { user: 'ApiKey_Token' });
    expect(await client.register({ apiKey: key.key, userId: 'any-42', token })).toMatchObject({ ok: true, data: { userId: 'any-42' } });
  });

  it.each<[string, () => Promise<{ apiKey?: string; userId?: string; token?: string }>, string]>([
    ['unknown key', async () => ({ apiKey: 'no-such-key' }), 'invalid apiKey'],
    ['bad signature', async () => ({ userId: 'bob', token: await tokenFor(key, { user: 'bob', secret: 'x'.repeat(43) }) }), 'token signature invalid'],
    ['expired token', async () => ({ userId: 'bob', token: await tokenFor(key, { user: 'bob', expInS: -3600 }) }), 'token expired'],
    ['wrong audience', async () => ({ userId: 'bob', token: await tokenFor(key, { user: 'bob', aud: 'other' }) }), 'token audience must be apiRTC'],
    ['wrong subject', async () => ({ userId: 'bob', token: await tokenFor(key, { user: 'bob', sub: 'myDemoApiKey' }) }), 'token subject does not match apiKey'],
    ['id mismatch', async () => ({ userId: 'mallory', token: await tokenFor(key, { user: 'bob' }) }), 'token does not grant id mallory'],
    ['garbage token', async () => ({ userId: 'bob', token: 'garbage' }), 'malformed token'],
  ])('refuses %s with code 5 and closes 4003', async (_name, make, reason) => {
    const options = await make();
    const client = await connect(server);
    expect(refusal(await client.register({ apiKey: key.key, ...options }))).toBe(reason);
    expect((await client.closed).code).toBe(4003);
  });

  it('refuses a disabled key', async () => {
    const disabled = server.apiKeys.create();
    server.apiKeys.disable(disabled.key);
    const client = await connect(server);
    // Same words as an unknown key: a disabled tenant cannot be told from a missing one.
    expect(refusal(await client.register({ apiKey: disabled.key }))).toBe('invalid apiKey');
  });

  it('refuses anonymous users when the key requires a token', async () => {
    const strict = server.apiKeys.create({ allowAnonymous: false });
    const client = await connect(server);
    expect(refusal(await client.register({ apiKey: strict.key }))).toBe('token required');
    const ok = await connect(server);
    expect((await ok.register({ apiKey: strict.key, userId: 'carol', token: await tokenFor(strict, { user: 'carol' }) })).ok).toBe(true);
  });

  it('enforces the origins of a key', async () => {
    const restricted = server.apiKeys.create({ allowedOrigins: ['https://good.example'] });
    const good = await connect(server, 'https://good.example');
    expect((await good.register({ apiKey: restricted.key })).ok).toBe(true);
    const bad = await connect(server, 'https://evil.example');
    expect(refusal(await bad.register({ apiKey: restricted.key }))).toBe('origin https://evil.example not allowed for this apiKey');
    expect((await bad.closed).code).toBe(4003);
    const none = await connect(server);
    expect(refusal(await none.register({ apiKey: restricted.key }))).toMatch(/not allowed/);
  });

  it('replaces the older session of an identified user (4001) and keeps the new one', async () => {
    const token = await tokenFor(key, { user: 'dave' });
    const old = await connect(server);
    const watcher = await connect(server);
    expect((await watcher.register({ apiKey: key.key, userId: 'w', token: await tokenFor(key, { user: 'w' }), groups: ['room'] })).ok).toBe(true);
    await watcher.nextEvent('presence');
    expect((await old.register({ apiKey: key.key, userId: 'dave', token, groups: ['room'] })).ok).toBe(true);
    await watcher.nextEvent('presence', (e) => e.joinedGroup.room?.[0]?.id === 'dave');
    const fresh = await connect(server);
    expect((await fresh.register({ apiKey: key.key, userId: 'dave', token, groups: ['room'], userData: { v: 2 } })).ok).toBe(true);
    expect((await old.closed).code).toBe(4001);
    expect((await fresh.request({ type: 'ping' })).ok).toBe(true);
    // Watchers keep dave: same user, new data, no leave/join flicker.
    const event = await watcher.nextEvent('presence');
    expect(event).toMatchObject({ joinedGroup: {}, leftGroup: {}, userDataChanged: [{ id: 'dave', userData: { v: 2 } }] });
  });

  it('answers requests before the handshake with code 16 and other handshake types with 9', async () => {
    const client = await connect(server);
    expect(await client.request({ type: 'ping' })).toMatchObject({ ok: false, error: { code: 16 } });
    expect(await client.request({ type: 'hello' })).toMatchObject({ ok: false, error: { code: 9, message: 'unknown message type' } });
    expect((await client.register()).ok).toBe(true);
    expect(await client.register()).toMatchObject({ ok: false, error: { code: 16 } });
  });

  it('closes a socket that does not register in time with 4004', async () => {
    const client = await connect(server);
    expect((await client.closed).code).toBe(4004);
  });

  it('counts sessions in /healthz', async () => {
    const before = ((await (await fetch(`${server.url}/healthz`)).json()) as { sessions: number }).sessions;
    const client = await connect(server);
    await client.register();
    const after = ((await (await fetch(`${server.url}/healthz`)).json()) as { sessions: number }).sessions;
    expect(after).toBe(before + 1);
  });
});

describe('registration with the demo key switched off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ demoKey: false });
  });
  afterAll(() => server.stop());

  it('refuses myDemoApiKey', async () => {
    const client = await connect(server);
    expect(refusal(await client.register({ apiKey: 'myDemoApiKey' }))).toBe('invalid apiKey');
  });
});

describe('shutdown', () => {
  it('closes sockets with 4005', async () => {
    const server = await startTestServer();
    const { client } = await TestClient.registered(server.url);
    await server.stop();
    expect((await client.closed).code).toBe(4005);
    expect(client.violations).toEqual([]);
  });
});
