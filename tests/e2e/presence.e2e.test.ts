import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage, type User } from './harness/index.js';

const env = useE2E('presence');

/** Registers `count` users with the demo key (default groups) and resolves them with their ids. */
async function registered(...names: string[]): Promise<Array<{ user: User; id: string }>> {
  const out: Array<{ user: User; id: string }> = [];
  for (const name of names) {
    const user = await env.user(name);
    out.push({ user, id: await user.page.evaluate(() => E2E.register()) });
  }
  return out;
}

const seesJoin = (watcher: User, group: string, id: string): Promise<void> =>
  waitInPage(watcher, `joinedGroup.${group} of ${id}`, (a) => E2E.joined(a.group, a.id), { group, id });

const seesLeave = (watcher: User, group: string, id: string, timeoutMs?: number): Promise<void> =>
  waitInPage(watcher, `leftGroup.${group} of ${id}`, (a) => E2E.left(a.group, a.id), { group, id }, timeoutMs);

describe('presence groups', () => {
  test('two users see each other in "default"; the listener attached after register() resolved gets the replayed snapshot', async () => {
    const [alice, bob] = await registered('alice', 'bob');
    if (!alice || !bob) throw new Error('users missing');

    // Bob registered second: Alice was already there, so Bob learns it from the initial snapshot
    // that arrived before his listener existed (replay rule); Alice learns of Bob live.
    await seesJoin(bob.user, 'default', alice.id);
    await seesJoin(alice.user, 'default', bob.id);

    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const view = await me.user.page.evaluate((otherId) => {
        const first = E2E.of('contactListUpdate')[0];
        const contacts = E2E.session.getContacts('default');
        const contact = contacts[otherId];
        return {
          firstKeys: first?.keys,
          allUnique: E2E.of('contactListUpdate').every((e) => e.allUnique),
          contactKeys: Object.keys(contacts),
          contactId: contact?.getId(),
          sameObject: contact === E2E.session.getOrCreateContact(otherId),
          online: contact?.isOnline(),
          inGroup: contact?.inGroup('default'),
          arrayIds: E2E.session.getContactsArray('default').map((c: { getId(): string }) => c.getId()),
          groups: E2E.session.getPresenceGroup(),
          selfListed: Object.keys(contacts).includes(E2E.session.getId()),
        };
      }, other.id);
      expect(view.firstKeys).toEqual(['joinedGroup', 'leftGroup', 'userDataChanged']);
      expect(view.allUnique).toBe(true);
      expect(view.contactKeys).toContain(other.id);
      expect(view.contactId).toBe(other.id);
      expect(view.sameObject).toBe(true);
      expect(view.online).toBe(true);
      expect(view.inGroup).toBe(true);
      expect(view.arrayIds).toContain(other.id);
      expect(view.groups).toContain('default');
      expect(view.selfListed).toBe(false);
    }
  });

  test('joinGroup makes a user visible in a custom group; watchers get joinedGroup and Contact joinGroup', async () => {
    const group = `room-${Date.now()}`;
    const [alice, bob] = await registered('alice', 'bob');
    if (!alice || !bob) throw new Error('users missing');
    await seesJoin(alice.user, 'default', bob.id);

    await alice.user.page.evaluate(
      (a) => {
        E2E.watchContact(a.bob);
        E2E.session.joinGroup(a.group);
      },
      { group, bob: bob.id },
    );
    await bob.user.page.evaluate((g) => E2E.session.joinGroup(g), group);

    await seesJoin(alice.user, group, bob.id);
    await waitInPage(alice.user, 'Contact joinGroup event', (a) => E2E.of('contact:joinGroup').some((e) => e.id === a.bob && e.group === a.group), {
      group,
      bob: bob.id,
    });
    // Bob joined after Alice: he gets her in the snapshot of the group he just joined.
    await seesJoin(bob.user, group, alice.id);

    const aliceView = await alice.user.page.evaluate(
      (a) => ({
        members: Object.keys(E2E.session.getContacts(a.group)),
        inGroup: E2E.session.getOrCreateContact(a.bob).inGroup(a.group),
      }),
      { group, bob: bob.id },
    );
    expect(aliceView.members).toEqual([bob.id]);
    expect(aliceView.inGroup).toBe(true);
    expect(await bob.user.page.evaluate(() => E2E.session.getPresenceGroup())).toEqual(expect.arrayContaining(['default', group]));
  });

  test('subscribeToGroup watches a group without making the user visible in it', async () => {
    const group = `watched-${Date.now()}`;
    const marker = `marker-${Date.now()}`;
    const [alice, bob] = await registered('alice', 'bob');
    if (!alice || !bob) throw new Error('users missing');

    await alice.user.page.evaluate(
      (a) => {
        E2E.session.joinGroup(a.group);
        E2E.session.joinGroup(a.marker);
      },
      { group, marker },
    );
    await seesJoin(bob.user, 'default', alice.id);

    await bob.user.page.evaluate((g) => E2E.session.subscribeToGroup(g), group);
    await seesJoin(bob.user, group, alice.id);
    // Sync point: Bob joins a marker group after subscribing. Once Alice sees that join, anything
    // the subscription could have told her about Bob would already have arrived (events to one
    // watcher are delivered in order).
    await bob.user.page.evaluate((g) => E2E.session.joinGroup(g), marker);
    await seesJoin(alice.user, marker, bob.id);

    expect(await alice.user.page.evaluate((a) => E2E.joined(a.group, a.bob), { group, bob: bob.id })).toBe(false);
    expect(await alice.user.page.evaluate((g) => Object.keys(E2E.session.getContacts(g)), group)).toEqual([]);
    const bobGroups = await bob.user.page.evaluate(() => ({
      joined: E2E.session.getPresenceGroup(),
      subscribed: E2E.session.getSubscribedPresenceGroup(),
    }));
    expect(bobGroups.subscribed).toContain(group);
    expect(bobGroups.joined).not.toContain(group);
    expect(await bob.user.page.evaluate((g) => Object.keys(E2E.session.getContacts(g)), group)).toEqual([alice.id]);
  });

  test('leaveGroup: watchers get leftGroup and Contact leaveGroup; the user stays online elsewhere', async () => {
    const group = `leave-${Date.now()}`;
    const [alice, bob] = await registered('alice', 'bob');
    if (!alice || !bob) throw new Error('users missing');
    await alice.user.page.evaluate(
      (a) => {
        E2E.watchContact(a.bob);
        E2E.session.joinGroup(a.group);
      },
      { group, bob: bob.id },
    );
    await bob.user.page.evaluate((g) => E2E.session.joinGroup(g), group);
    await seesJoin(alice.user, group, bob.id);

    await bob.user.page.evaluate((g) => E2E.session.leaveGroup(g), group);
    await seesLeave(alice.user, group, bob.id);
    await waitInPage(alice.user, 'Contact leaveGroup event', (a) => E2E.of('contact:leaveGroup').some((e) => e.id === a.bob && e.group === a.group), {
      group,
      bob: bob.id,
    });
    const view = await alice.user.page.evaluate(
      (a) => {
        const contact = E2E.session.getOrCreateContact(a.bob);
        return {
          members: Object.keys(E2E.session.getContacts(a.group)),
          inGroup: contact.inGroup(a.group),
          online: contact.isOnline(),
          leftDefault: E2E.left('default', a.bob),
        };
      },
      { group, bob: bob.id },
    );
    expect(view).toEqual({ members: [], inGroup: false, online: true, leftDefault: false });
    expect(await bob.user.page.evaluate(() => E2E.session.getPresenceGroup())).not.toContain(group);
  });

  test('unregister(): the others get leftGroup at once, not after the resume window', async () => {
    const [alice, bob] = await registered('alice', 'bob');
    if (!alice || !bob) throw new Error('users missing');
    await seesJoin(alice.user, 'default', bob.id);
    await alice.user.page.evaluate((id) => E2E.watchContact(id), bob.id);

    await bob.user.page.evaluate(() => E2E.ua.unregister());
    expect(await bob.user.page.evaluate(() => E2E.ua.isRegistered())).toBe(false);
    // The server's resume window is 10 s: seeing the leave within 5 s proves it did not wait for it.
    await seesLeave(alice.user, 'default', bob.id, 5000);
    const view = await alice.user.page.evaluate((id) => {
      const contact = E2E.session.getOrCreateContact(id);
      return {
        online: contact.isOnline(),
        members: Object.keys(E2E.session.getContacts('default')),
        leaveGroupEvent: E2E.of('contact:leaveGroup').some((e) => e.id === id && e.group === 'default'),
      };
    }, bob.id);
    expect(view.online).toBe(false);
    expect(view.members).not.toContain(bob.id);
    expect(view.leaveGroupEvent).toBe(true);
  });
});
