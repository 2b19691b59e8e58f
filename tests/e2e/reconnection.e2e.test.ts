import { describe, expect, onTestFinished, test } from 'vitest';
import { openSdkPage, startServer, useE2E, waitInPage, type User } from './harness/index.js';

const env = useE2E('reconnection');

/** Alice and Bob registered with the default groups and seeing each other (on `serverUrl`). */
async function pair(serverUrl: string = env.server.url) {
  const alice = await openSdkPage(env.browser, serverUrl, 'alice');
  const bob = await openSdkPage(env.browser, serverUrl, 'bob');
  const aliceId = await alice.page.evaluate(() => {
    E2E.keep.ccs = [];
    return E2E.register().then((id) => {
      E2E.ua.on('ccsConnectionStatus', (e: { status: string }) => E2E.keep.ccs.push(e.status));
      return id;
    });
  });
  const bobId = await bob.page.evaluate(() => E2E.register());
  await waitInPage(alice, 'Bob in default', (id) => E2E.joined('default', id), bobId);
  await waitInPage(bob, 'Alice in default', (id) => E2E.joined('default', id), aliceId);
  return { alice, bob, aliceId, bobId };
}

/** Index of the first recorded event of that type, -1 if none. */
const firstIndex = (user: User, type: string): Promise<number> => user.page.evaluate((t) => E2E.events.findIndex((e) => e.type === t), type);

describe('reconnection within the resume window (server default 10 s)', () => {
  test('dropConnection(): reconnecting then reconnection, same id, ccsConnectionStatus retry then connected', async () => {
    const { alice, aliceId } = await pair();
    await alice.page.evaluate(() => Parley.debug.dropConnection());
    await waitInPage(alice, 'reconnection', () => E2E.count('reconnection') > 0);

    const reconnecting = await firstIndex(alice, 'reconnecting');
    const reconnection = await firstIndex(alice, 'reconnection');
    expect(reconnecting).toBeGreaterThanOrEqual(0);
    expect(reconnecting).toBeLessThan(reconnection);
    const state = await alice.page.evaluate(() => ({
      id: E2E.session.getId(),
      userId: E2E.ua.userId,
      registered: E2E.ua.isRegistered(),
      disconnects: E2E.count('disconnect'),
      ccs: E2E.keep.ccs as string[],
    }));
    expect(state).toMatchObject({ id: aliceId, userId: aliceId, registered: true, disconnects: 0 });
    expect(state.ccs.indexOf('retry')).toBeGreaterThanOrEqual(0);
    expect(state.ccs.lastIndexOf('connected')).toBeGreaterThan(state.ccs.indexOf('retry'));
  });

  test('while a user is offline nobody sees it leave, it keeps its groups, and what was sent to it meanwhile arrives after resume', async () => {
    const group = `team-${Date.now()}`;
    const { alice, bob, aliceId, bobId } = await pair();
    await alice.page.evaluate((g) => E2E.session.joinGroup(g), group);
    await bob.page.evaluate((g) => E2E.session.joinGroup(g), group);
    await waitInPage(bob, `Alice in ${group}`, (a) => E2E.joined(a.group, a.id), { group, id: aliceId });

    // Alice loses the network: the socket drops and every reconnect attempt fails until she is
    // back online, so what Bob sends now can only reach her through the server's resume buffer.
    await alice.context.setOffline(true);
    await alice.page.evaluate(() => Parley.debug.dropConnection());
    await waitInPage(alice, 'reconnecting', () => E2E.count('reconnecting') > 0);

    const uuid = await bob.page.evaluate((to) => E2E.session.getOrCreateContact(to).sendMessage('sent while you were away'), aliceId);
    await bob.page.evaluate((to) => E2E.session.getOrCreateContact(to).sendData({ queued: true }), aliceId);
    expect(typeof uuid).toBe('number');
    expect(await alice.page.evaluate(() => E2E.count('reconnection'))).toBe(0);

    await alice.context.setOffline(false);
    await waitInPage(alice, 'reconnection', () => E2E.count('reconnection') > 0, undefined, 20_000);
    await waitInPage(alice, 'the message sent during the drop', () => E2E.of('contactMessage').some((e) => e.content === 'sent while you were away'));
    await waitInPage(alice, 'the data sent during the drop', () => E2E.of('contactData').some((e) => e.content?.queued === true));
    const received = await alice.page.evaluate(() => E2E.of('contactMessage').find((e) => e.content === 'sent while you were away'));
    expect(received).toMatchObject({ sender: bobId, uuid });

    const aliceState = await alice.page.evaluate(() => ({
      id: E2E.session.getId(),
      groups: E2E.session.getPresenceGroup(),
      disconnects: E2E.count('disconnect'),
    }));
    expect(aliceState.id).toBe(aliceId);
    expect(aliceState.groups).toEqual(expect.arrayContaining(['default', group]));
    expect(aliceState.disconnects).toBe(0);

    // Sync point after the resume: Alice messages Bob; once it arrived, any leftGroup the drop
    // could have caused would have reached Bob before it.
    await alice.page.evaluate((to) => E2E.session.getOrCreateContact(to).sendMessage('back'), bobId);
    await waitInPage(bob, 'message from Alice after resume', () => E2E.of('contactMessage').some((e) => e.content === 'back'));
    expect(
      await bob.page.evaluate(
        (id) =>
          E2E.events.filter((e) => e.type === 'contactListUpdate' && Object.values(e.leftGroup as Record<string, string[]>).some((ids) => ids.includes(id)))
            .length,
        aliceId,
      ),
    ).toBe(0);

    // The server still lists Alice in the group: a newcomer gets her in its snapshot.
    const carol = await env.user('carol');
    await carol.page.evaluate((g) => E2E.register({ groups: [g] }), group);
    await waitInPage(carol, `Alice in ${group} (newcomer snapshot)`, (a) => E2E.joined(a.group, a.id), { group, id: aliceId });
  });
});

describe('reconnection after the resume window expired (server PARLEY_RESUME_WINDOW_MS=1500)', () => {
  test('the others see the user leave; once back online it re-registers under the same id and is seen joining again', async () => {
    const server = await startServer({ name: 'reconnection-expired', resumeWindowMs: 1500 });
    // After afterEach (failure screenshots, users closed while their server still runs).
    onTestFinished(() => server.stop());
    await leaveAndComeBack(server.url);
  });
});

/** Alice drops past the resume window: Bob sees her leave, then come back under the same id. */
async function leaveAndComeBack(serverUrl: string): Promise<void> {
  const { alice, bob, aliceId, bobId } = await pair(serverUrl);

  await alice.context.setOffline(true);
  await alice.page.evaluate(() => Parley.debug.dropConnection());
  await waitInPage(alice, 'reconnecting', () => E2E.count('reconnecting') > 0);
  await waitInPage(bob, 'leftGroup.default of Alice', (id) => E2E.left('default', id), aliceId, 15_000);
  const joinsBefore = await bob.page.evaluate((id) => E2E.of('contactListUpdate').filter((e) => (e.joinedGroup.default ?? []).includes(id)).length, aliceId);
  expect(await bob.page.evaluate((id) => E2E.session.getOrCreateContact(id).isOnline(), aliceId)).toBe(false);

  await alice.context.setOffline(false);
  await waitInPage(
    bob,
    'Alice joining default again',
    (a) => E2E.of('contactListUpdate').filter((e) => (e.joinedGroup.default ?? []).includes(a.id)).length > a.before,
    { id: aliceId, before: joinsBefore },
    20_000,
  );
  await waitInPage(alice, 'reconnection', () => E2E.count('reconnection') > 0);
  const aliceState = await alice.page.evaluate(
    (other) => ({
      id: E2E.session.getId(),
      userId: E2E.ua.userId,
      registered: E2E.ua.isRegistered(),
      seesBob: Object.keys(E2E.session.getContacts('default')).includes(other),
    }),
    bobId,
  );
  expect(aliceState).toEqual({ id: aliceId, userId: aliceId, registered: true, seesBob: true });
  expect(await bob.page.evaluate((id) => E2E.session.getOrCreateContact(id).isOnline(), aliceId)).toBe(true);
}
