import { describe, expect, test } from 'vitest';
import { useE2E } from './harness/index.js';

const env = useE2E('register-anonymous');

const INIT_ERROR_PREFIX = 'register() - ApiRTC Initialization error : ';

describe('anonymous registration with the demo key', () => {
  test.each(['apiKey', 'apzkey'])('%s:myDemoApiKey gets a server-assigned numeric id that session, userAgent and apiRTC.session agree on', async (prefix) => {
    const alice = await env.user('alice');
    const result = await alice.page.evaluate(async (uri) => {
      const ua = new apiRTC.UserAgent({ uri });
      const before = { userId: ua.userId, apiCCId: apiRTC.session.apiCCId, registered: ua.isRegistered() };
      const session = await ua.register();
      return {
        before,
        id: session.getId(),
        sessionIdProperty: session.id,
        userId: ua.userId,
        apiCCId: apiRTC.session.apiCCId,
        registered: ua.isRegistered(),
        currentSessionIsIt: ua.getCurrentSession() === session,
        activeSessionIsIt: apiRTC.Session.getActiveSession() === session,
        userAgentInstanceIsIt: apiRTC.userAgentInstance === ua,
        username: ua.getUsername(),
      };
    }, `${prefix}:myDemoApiKey`);

    expect(result.before).toEqual({ userId: null, apiCCId: null, registered: false });
    expect(result.id).toMatch(/^\d+$/);
    expect(result.sessionIdProperty).toBe(result.id);
    expect(result.userId).toBe(result.id);
    expect(result.apiCCId).toBe(result.id);
    expect(result.registered).toBe(true);
    expect(result.currentSessionIsIt).toBe(true);
    expect(result.activeSessionIsIt).toBe(true);
    expect(result.userAgentInstanceIsIt).toBe(true);
    expect(result.username).toMatch(/^guest-.{13}$/);
    expect(alice.errors()).toEqual([]);
  });

  test('two anonymous users get different ids', async () => {
    const alice = await env.user('alice');
    const bob = await env.user('bob');
    const [a, b] = await Promise.all([alice.page.evaluate(() => E2E.register()), bob.page.evaluate(() => E2E.register())]);
    expect(a).toMatch(/^\d+$/);
    expect(b).toMatch(/^\d+$/);
    expect(a).not.toBe(b);
  });

  test('RegisterInformation.id is honoured, and a second user asking for the same id is refused with code 5', async () => {
    const wanted = `e2e-alice-${Date.now()}`;
    const alice = await env.user('alice');
    const bob = await env.user('bob');

    const id = await alice.page.evaluate((requested) => E2E.register({ id: requested }), wanted);
    expect(id).toBe(wanted);
    expect(await alice.page.evaluate(() => [E2E.ua.userId, apiRTC.session.apiCCId])).toEqual([wanted, wanted]);

    const refused = await bob.page.evaluate((requested) => E2E.registerError({ id: requested }, 'apiKey:myDemoApiKey'), wanted);
    expect(refused.code).toBe(5);
    expect(refused.message?.startsWith(INIT_ERROR_PREFIX)).toBe(true);
    expect(refused.message?.length).toBeGreaterThan(INIT_ERROR_PREFIX.length);
    expect(refused.registered).toBe(false);

    // The refused user agent stays usable: it can register under another id.
    const other = await bob.page.evaluate(async () => (await E2E.ua.register()).getId());
    expect(other).toMatch(/^\d+$/);
  });

  test('after unregister() the id is free again and the user agent can register anew', async () => {
    const wanted = `e2e-reuse-${Date.now()}`;
    const alice = await env.user('alice');
    const result = await alice.page.evaluate(async (requested) => {
      const ua = new apiRTC.UserAgent({ uri: 'apiKey:myDemoApiKey' });
      const first = await ua.register({ id: requested });
      const firstId = first.getId();
      await ua.unregister();
      const afterUnregister = { registered: ua.isRegistered() };
      const second = await ua.register({ id: requested });
      return { firstId, afterUnregister, secondId: second.getId(), registered: ua.isRegistered() };
    }, wanted);
    expect(result.firstId).toBe(wanted);
    expect(result.afterUnregister).toEqual({ registered: false });
    expect(result.secondId).toBe(wanted);
    expect(result.registered).toBe(true);
  });
});
