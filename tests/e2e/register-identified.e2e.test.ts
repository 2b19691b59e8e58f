import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { createKey, mintToken, waitInPage, useE2E, type CreatedKey } from './harness/index.js';

const env = useE2E('register-identified');

let key: CreatedKey;

beforeAll(async () => {
  key = await createKey(env.server.dataDir, { label: 'e2e identified' });
});

const uriOf = (k: CreatedKey): string => `apiKey:${k.key}`;

describe('identified registration (JWT)', () => {
  test('a token minted by the CLI registers the user under the id of its grant', async () => {
    const userId = `alice-${Date.now()}`;
    const token = await mintToken(env.server.dataDir, { key: key.key, user: userId, ttlSeconds: 600 });
    const alice = await env.user('alice');
    const result = await alice.page.evaluate(
      async ({ uri, id, jwt }) => {
        const registered = await E2E.register({ id, token: jwt }, uri);
        return { registered, userId: E2E.ua.userId, apiCCId: apiRTC.session.apiCCId };
      },
      { uri: uriOf(key), id: userId, jwt: token },
    );
    expect(result).toEqual({ registered: userId, userId, apiCCId: userId });
  });

  test('a token with the ApiKey_Token grant authorises any id of its key', async () => {
    const token = await mintToken(env.server.dataDir, { key: key.key, user: 'ApiKey_Token', ttlSeconds: 600 });
    const alice = await env.user('alice');
    const bob = await env.user('bob');
    const ids = [`any-a-${Date.now()}`, `any-b-${Date.now()}`];
    const registered = await Promise.all(
      [alice, bob].map((user, i) =>
        user.page.evaluate(({ uri, id, jwt }) => E2E.register({ id, token: jwt }, uri), {
          uri: uriOf(key),
          id: ids[i] as string,
          jwt: token,
        }),
      ),
    );
    expect(registered).toEqual(ids);
  });

  test('a token signed by the customer backend with the key secret (jose, HS256) is accepted', async () => {
    const userId = `backend-${Date.now()}`;
    const token = await new SignJWT({ grants: { apiRTC_UserAgent_Id: userId } })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(key.key)
      .setAudience('apiRTC')
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(key.secret));
    const alice = await env.user('alice');
    const id = await alice.page.evaluate(({ uri, id, jwt }) => E2E.register({ id, token: jwt }, uri), {
      uri: uriOf(key),
      id: userId,
      jwt: token,
    });
    expect(id).toBe(userId);
  });

  test('users of different API keys never see each other', async () => {
    const token = await mintToken(env.server.dataDir, { key: key.key, user: 'ApiKey_Token', ttlSeconds: 600 });
    const keyUser = await env.user('key-user');
    const demoUser = await env.user('demo-user');
    const watcher = await env.user('watcher');
    const keyUserId = await keyUser.page.evaluate(({ uri, jwt }) => E2E.register({ id: `k-${Date.now()}`, token: jwt }, uri), { uri: uriOf(key), jwt: token });
    const demoUserId = await demoUser.page.evaluate(() => E2E.register());
    // The watcher registers anonymously with the same custom key: its initial snapshot of
    // "default" is taken after both others are present.
    await watcher.page.evaluate((uri) => E2E.register({}, uri), uriOf(key));
    await waitInPage(watcher, 'initial snapshot of default', (id) => E2E.joined('default', id), keyUserId);
    const seen = await watcher.page.evaluate(() => Object.keys(E2E.session.getContacts('default')));
    expect(seen).toContain(keyUserId);
    expect(seen).not.toContain(demoUserId);
  });

  test('a second login of the same identified user replaces the first one, which is disconnected', async () => {
    const userId = `twice-${Date.now()}`;
    const token = await mintToken(env.server.dataDir, { key: key.key, user: userId, ttlSeconds: 600 });
    const first = await env.user('first-tab');
    const second = await env.user('second-tab');
    const args = { uri: uriOf(key), id: userId, jwt: token };
    expect(await first.page.evaluate((a) => E2E.register({ id: a.id, token: a.jwt }, a.uri), args)).toBe(userId);
    expect(await second.page.evaluate((a) => E2E.register({ id: a.id, token: a.jwt }, a.uri), args)).toBe(userId);
    await waitInPage(first, 'Session disconnect', () => E2E.count('disconnect') > 0);
    // The replaced session does not come back by itself: it never reconnects.
    expect(await first.page.evaluate(() => E2E.count('reconnection'))).toBe(0);
    expect(await second.page.evaluate(() => E2E.ua.isRegistered())).toBe(true);
  });
});
