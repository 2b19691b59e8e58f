import type { RegisterResult } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import type { ApiKey } from '../src/index.js';
import { TestClient } from './helpers/TestClient.js';
import { useTestServer } from './helpers/testServer.js';
import { tokenFor } from './helpers/tokens.js';

/*
 * Issue 9 finding 6: anonymous users cannot take ids. Without the key's chosen-ids setting they get
 * assigned ids; with it they never get an id held by or reserved for an identified user; contacts
 * say whether they are authenticated.
 */

const env = useTestServer();

async function registered(
  options: Parameters<TestClient['register']>[0] & { idTicket?: string },
): Promise<{ client: TestClient; userId: string; result: RegisterResult }> {
  const client = env.track(await TestClient.connect(env.server.url));
  const { idTicket, ...rest } = options;
  const answer =
    idTicket === undefined
      ? await client.register(rest)
      : await client.request({ type: 'register', apiKey: rest.apiKey, userId: rest.userId, idTicket, groups: [], subscribeTo: [], userData: {} });
  if (!answer.ok) throw new Error(`register failed: ${answer.error.code} ${answer.error.message}`);
  const result = answer.data as RegisterResult;
  return { client, userId: result.userId, result };
}

describe('ids of anonymous users', () => {
  it('on a key without chosen ids, an anonymous register with userId "alice" gets an assigned id, and its messages come from that id', async () => {
    const key = env.server.apiKeys.create({ label: 'no-chosen-ids' });
    const { userId: bobId, client: bob } = await registered({ apiKey: key.key });
    const { userId, client: mallory } = await registered({ apiKey: key.key, userId: 'alice' });
    expect(userId).not.toBe('alice');
    expect(userId).toMatch(/^[1-9][0-9]{6,8}$/);
    expect((await mallory.request({ type: 'contact.send', to: bobId, kind: 'message', content: 'hi, it is alice' })).ok).toBe(true);
    expect(await bob.nextEvent('contact.message')).toMatchObject({ from: userId, content: 'hi, it is alice' });
  });

  it('an anonymous user gets its assigned id back with the idTicket (re-registration after the session ended), never without', async () => {
    const key = env.server.apiKeys.create();
    const { client, userId, result } = await registered({ apiKey: key.key });
    expect(result.idTicket).toEqual(expect.any(String));
    expect((await client.request({ type: 'unregister' })).ok).toBe(true);
    await client.closed;
    expect((await registered({ apiKey: key.key, userId, idTicket: result.idTicket })).userId).toBe(userId);
    // A ticket is worth one id only, and nothing without it.
    expect((await registered({ apiKey: key.key, userId: 'alice', idTicket: result.idTicket })).userId).not.toBe('alice');
    const other = await registered({ apiKey: key.key, userId: '1234567', idTicket: 'forged' });
    expect(other.userId).not.toBe('1234567');
    // Keys with chosen ids need no ticket and give none.
    expect((await registered({})).result.idTicket).toBeUndefined();
  });

  it("on a key with chosen ids, an anonymous user can neither take an identified user's id while present nor after", async () => {
    const key = env.server.apiKeys.create({ allowChosenIds: true });
    expect((await registered({ apiKey: key.key, userId: 'free-id' })).userId).toBe('free-id');
    const { client: alice } = await registered({ apiKey: key.key, userId: 'alice', token: await tokenFor(key, { user: 'alice' }) });
    const squatter = env.track(await TestClient.connect(env.server.url));
    expect(await squatter.register({ apiKey: key.key, userId: 'alice' })).toMatchObject({
      ok: false,
      error: { code: 5, message: 'id alice is reserved for an identified user' },
    });
    await alice.close();
    const later = env.track(await TestClient.connect(env.server.url));
    expect(await later.register({ apiKey: key.key, userId: 'alice' })).toMatchObject({
      ok: false,
      error: { code: 5, message: 'id alice is reserved for an identified user' },
    });
    // The identified user still gets her id.
    expect((await registered({ apiKey: key.key, userId: 'alice', token: await tokenFor(key, { user: 'alice' }) })).userId).toBe('alice');
  });

  it('an identified user takes its id back from an anonymous holder (closed 4001), which cannot come back', async () => {
    const key = env.server.apiKeys.create({ allowChosenIds: true });
    const { client: squatter } = await registered({ apiKey: key.key, userId: 'dave' });
    const { userId, client: dave } = await registered({ apiKey: key.key, userId: 'dave', token: await tokenFor(key, { user: 'dave' }) });
    expect(userId).toBe('dave');
    expect((await squatter.closed).code).toBe(4001);
    // Not even once Dave is gone.
    expect((await dave.request({ type: 'unregister' })).ok).toBe(true);
    await dave.closed;
    const again = env.track(await TestClient.connect(env.server.url));
    expect(await again.register({ apiKey: key.key, userId: 'dave' })).toMatchObject({
      ok: false,
      error: { code: 5, message: 'id dave is reserved for an identified user' },
    });
  });
});

describe('contacts carry whether they are authenticated (Parley extension)', () => {
  it('presence lists identified users with authenticated:true and anonymous ones without it', async () => {
    const key: ApiKey = env.server.apiKeys.create({ allowChosenIds: true });
    const { client: watcher } = await registered({ apiKey: key.key, userId: 'watcher', groups: ['room'] });
    expect((await watcher.nextEvent('presence')).joinedGroup).toEqual({ room: [] });
    await registered({ apiKey: key.key, userId: 'erin', token: await tokenFor(key, { user: 'erin' }), groups: ['room'] });
    expect((await watcher.nextEvent('presence')).joinedGroup).toEqual({ room: [{ id: 'erin', userData: {}, authenticated: true }] });
    const { userId: anonymous } = await registered({ apiKey: key.key, groups: ['room'] });
    expect((await watcher.nextEvent('presence')).joinedGroup).toEqual({ room: [{ id: anonymous, userData: {} }] });
  });
});
