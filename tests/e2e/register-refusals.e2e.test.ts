import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { createKey, disableKey, mintToken, openSdkPage, startServer, useE2E, type CreatedKey } from './harness/index.js';

const env = useE2E('register-refusals');

const INIT_ERROR_PREFIX = 'register() - ApiRTC Initialization error : ';

let key: CreatedKey;
let otherKey: CreatedKey;
let disabledKey: CreatedKey;
let tokenOnlyKey: CreatedKey;

beforeAll(async () => {
  const dataDir = env.server.dataDir;
  [key, otherKey, disabledKey, tokenOnlyKey] = await Promise.all([
    createKey(dataDir, { label: 'e2e tokens' }),
    createKey(dataDir, { label: 'e2e other' }),
    createKey(dataDir, { label: 'e2e disabled' }),
    createKey(dataDir, { label: 'e2e token only', anonymous: false }),
  ]);
  await disableKey(dataDir, disabledKey.key);
});

/** A JWT built like a customer backend would, with every claim overridable. */
async function jwt(options: { secret: string; sub: string; user: string; aud?: string; exp?: number }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ grants: { apiRTC_UserAgent_Id: options.user } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setAudience(options.aud ?? 'apiRTC')
    .setJti(randomUUID())
    .setIssuedAt(now - 120)
    .setExpirationTime(options.exp ?? now + 600)
    .sign(new TextEncoder().encode(options.secret));
}

interface Refusal {
  uri: string;
  info: Record<string, unknown>;
}

/** Each refusal uses a fresh UserAgent on one page shared by the file (a refusal leaves no session). */
async function refuse(refusal: Refusal) {
  const user = await env.sharedUser('refused');
  return user.page.evaluate(({ uri, info }) => E2E.registerError(info, uri), refusal);
}

describe('register() refusals by the server: code 5 "ApiRTC Initialization error : <reason>"', () => {
  const cases: Array<[string, () => Promise<Refusal>]> = [
    ['an unknown API key', async () => ({ uri: 'apiKey:no-such-key-e2e', info: {} })],
    ['a key disabled with the CLI', async () => ({ uri: `apiKey:${disabledKey.key}`, info: {} })],
    [
      'a token signed with another secret',
      async () => ({
        uri: `apiKey:${key.key}`,
        info: { id: 'sig-user', token: await jwt({ secret: 'not-the-key-secret', sub: key.key, user: 'sig-user' }) },
      }),
    ],
    [
      'an expired token',
      async () => ({
        uri: `apiKey:${key.key}`,
        info: {
          id: 'late-user',
          token: await jwt({ secret: key.secret, sub: key.key, user: 'late-user', exp: Math.floor(Date.now() / 1000) - 60 }),
        },
      }),
    ],
    [
      'a token for another audience',
      async () => ({
        uri: `apiKey:${key.key}`,
        info: { id: 'aud-user', token: await jwt({ secret: key.secret, sub: key.key, user: 'aud-user', aud: 'someone-else' }) },
      }),
    ],
    [
      'a token whose sub is another API key',
      async () => ({
        uri: `apiKey:${key.key}`,
        info: { id: 'sub-user', token: await jwt({ secret: otherKey.secret, sub: otherKey.key, user: 'sub-user' }) },
      }),
    ],
    [
      'a token granting another id than the one asked for',
      async () => ({
        uri: `apiKey:${key.key}`,
        info: { id: 'mallory', token: await mintToken(env.server.dataDir, { key: key.key, user: 'alice', ttlSeconds: 600 }) },
      }),
    ],
    ['no token on a key that refuses anonymous users', async () => ({ uri: `apiKey:${tokenOnlyKey.key}`, info: {} })],
  ];

  test.each(cases)('%s', async (_name, build) => {
    const refused = await refuse(await build());
    expect(refused.code).toBe(5);
    expect(refused.message?.startsWith(INIT_ERROR_PREFIX)).toBe(true);
    // The reason is spelled out after the prefix.
    expect(refused.message?.slice(INIT_ERROR_PREFIX.length).trim()).not.toBe('');
    expect(refused.registered).toBe(false);
  });

  test('the demo key is refused when the server runs with PARLEY_DEMO_KEY=off', async () => {
    const server = await startServer({ name: 'register-refusals-demo-off', demoKey: 'off' });
    // After afterEach (failure screenshots, users closed while their server still runs).
    onTestFinished(() => server.stop());
    const user = await openSdkPage(env.browser, server.url, 'demo-off');
    const refused = await user.page.evaluate(() => E2E.registerError({}, 'apiKey:myDemoApiKey'));
    expect(refused.code).toBe(5);
    expect(refused.message?.startsWith(INIT_ERROR_PREFIX)).toBe(true);
    // A key created on that server still works: only the demo key is switched off.
    const created = await createKey(server.dataDir, { label: 'e2e on demo-off server' });
    const id = await user.page.evaluate((uri) => E2E.register({}, uri), `apiKey:${created.key}`);
    expect(id).toMatch(/^\d+$/);
  });
});

describe('register() refusals by the SDK, before any connection', () => {
  test('no uri: code 7 "no uri was specified"', async () => {
    const user = await env.user('no-uri');
    const refused = await user.page.evaluate(async () => {
      const ua = new apiRTC.UserAgent({});
      return ua.register().then(
        () => ({ resolved: true }),
        (e: unknown) => E2E.error(e),
      );
    });
    expect(refused).toEqual({ code: 7, message: 'register() - Cannot register UserAgent, no uri was specified' });
  });

  test('unknown uri prefix: code 7 "prefix invalid used for uri :foo"', async () => {
    const refused = await refuse({ uri: 'foo:bar', info: {} });
    expect(refused).toMatchObject({ code: 7, message: 'register() - prefix invalid used for uri :foo', registered: false });
  });

  test('empty API key: code 0 "Wrong apiKey"', async () => {
    const refused = await refuse({ uri: 'apiKey:', info: {} });
    expect(refused).toMatchObject({ code: 0, message: 'register() - Wrong apiKey', registered: false });
  });

  test('register() while a session exists: code 6 "Session already ON", the first session is kept', async () => {
    const user = await env.user('twice');
    const result = await user.page.evaluate(async () => {
      const id = await E2E.register();
      const second = await E2E.ua.register().then(
        () => ({ resolved: true }),
        (e: unknown) => E2E.error(e),
      );
      return { id, second, stillSame: E2E.ua.getCurrentSession() === E2E.session, registered: E2E.ua.isRegistered() };
    });
    expect(result.second).toEqual({ code: 6, message: 'register() - Session already ON' });
    expect(result.stillSame).toBe(true);
    expect(result.registered).toBe(true);
  });
});
