import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage } from './harness/index.js';

const env = useE2E('user-data');

/** Alice registers (with optional register info), then Bob; both wait until they see each other. */
async function pair(aliceInfo: Record<string, unknown> = {}) {
  const alice = await env.user('alice');
  const bob = await env.user('bob');
  const aliceId = await alice.page.evaluate((info) => E2E.register(info), aliceInfo);
  const bobId = await bob.page.evaluate(() => E2E.register());
  await waitInPage(bob, 'Alice in default', (id) => E2E.joined('default', id), aliceId);
  await waitInPage(alice, 'Bob in default', (id) => E2E.joined('default', id), bobId);
  return { alice, bob, aliceId, bobId };
}

describe('user data shared through presence', () => {
  test('setProp + setToSession: watchers get userDataChanged with the same Contact object and the new value', async () => {
    const { alice, bob, aliceId } = await pair();

    // Bob keeps the Contact object he got from the group listing, and checks identity on the event.
    await bob.page.evaluate((id) => {
      E2E.keep.alice = E2E.session.getContacts('default')[id];
      E2E.session.on('contactListUpdate', (u: { userDataChanged: Array<{ getUserData(): { get(k: string): unknown } }> }) => {
        for (const c of u.userDataChanged) {
          if (c === E2E.keep.alice) E2E.keep.statusSeen = c.getUserData().get('status');
        }
      });
    }, aliceId);

    const local = await alice.page.evaluate(() => {
      const data = E2E.ua.getUserData();
      const chained = data.setProp('status', 'busy');
      data.setToSession();
      return { chained: chained === data, local: data.get('status'), sameAsSession: data === E2E.session.getUserData() };
    });
    expect(local).toEqual({ chained: true, local: 'busy', sameAsSession: true });

    await waitInPage(bob, 'userDataChanged with status busy', (id) => E2E.dataChanged(id).some((e) => e.userData[id]?.status === 'busy'), aliceId);
    const view = await bob.page.evaluate((id) => {
      const event = E2E.dataChanged(id).find((e) => e.userData[id]?.status === 'busy');
      return {
        keys: event?.keys,
        allUnique: event?.allUnique,
        statusSeenOnKeptObject: E2E.keep.statusSeen,
        now: E2E.session.getOrCreateContact(id).getUserData().get('status'),
        missingKey: E2E.session.getOrCreateContact(id).getUserData().get('no-such-key'),
      };
    }, aliceId);
    expect(view).toEqual({
      keys: ['joinedGroup', 'leftGroup', 'userDataChanged'],
      allUnique: true,
      statusSeenOnKeptObject: 'busy',
      now: 'busy',
      missingKey: null,
    });
  });

  test('setUsername publishes the new name: contact.getUsername() follows', async () => {
    const { alice, bob, aliceId } = await pair();
    await alice.page.evaluate(() => E2E.ua.setUsername('Alice Example'));
    expect(await alice.page.evaluate(() => E2E.ua.getUsername())).toBe('Alice Example');
    await waitInPage(
      bob,
      'userDataChanged with the new username',
      (id) => E2E.dataChanged(id).some((e) => e.userData[id]?.username === 'Alice Example'),
      aliceId,
    );
    expect(await bob.page.evaluate((id) => E2E.session.getOrCreateContact(id).getUsername(), aliceId)).toBe('Alice Example');
  });

  test('register userData and nickname reach the other users with the presence snapshot', async () => {
    const { bob, aliceId } = await pair({ nickname: 'alice-nick', userData: { status: 'available', team: 'blue' } });
    const seen = await bob.page.evaluate((id) => {
      const contact = E2E.session.getOrCreateContact(id);
      const data = contact.getUserData();
      return { name: contact.getUsername(), status: data.get('status'), team: data.get('team') };
    }, aliceId);
    expect(seen).toEqual({ name: 'alice-nick', status: 'available', team: 'blue' });
  });
});
