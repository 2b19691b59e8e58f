import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage } from './harness/index.js';

const env = useE2E('contact-messaging');

/** Alice and Bob registered; Bob records the events of Alice's Contact. */
async function pair() {
  const alice = await env.user('alice');
  const bob = await env.user('bob');
  const aliceId = await alice.page.evaluate(() => E2E.register());
  const bobId = await bob.page.evaluate(() => E2E.register());
  await bob.page.evaluate((id) => E2E.watchContact(id), aliceId);
  return { alice, bob, aliceId, bobId };
}

describe('contact to contact delivery', () => {
  test('sendData: the target gets Session contactData {sender, content} and Contact data', async () => {
    const { alice, bob, aliceId, bobId } = await pair();
    const content = { kind: 'ping', n: 42, nested: { list: [1, 'two'] } };
    const resolved = await alice.page.evaluate(
      async (a) => {
        const value = await E2E.session.getOrCreateContact(a.to).sendData(a.content);
        return { isUndefined: value === undefined };
      },
      { to: bobId, content },
    );
    expect(resolved.isUndefined).toBe(true);

    await waitInPage(bob, 'contactData', () => E2E.count('contactData') > 0);
    await waitInPage(bob, 'Contact data', () => E2E.count('contact:data') > 0);
    const got = await bob.page.evaluate(() => ({ session: E2E.of('contactData'), contact: E2E.of('contact:data') }));
    expect(got.session).toHaveLength(1);
    expect(got.session[0]).toMatchObject({ sender: aliceId, unique: true, content });
    expect(got.contact[0]).toMatchObject({ id: aliceId, content });
  });

  test('sendMessage: resolves a numeric uuid; the target gets contactMessage and Contact message; both keep the history', async () => {
    const { alice, bob, aliceId, bobId } = await pair();
    const uuid = await alice.page.evaluate((to) => E2E.session.getOrCreateContact(to).sendMessage('Hello Bob!'), bobId);
    expect(typeof uuid).toBe('number');

    await waitInPage(bob, 'contactMessage', () => E2E.count('contactMessage') > 0);
    await waitInPage(bob, 'Contact message', () => E2E.count('contact:message') > 0);
    const got = await bob.page.evaluate(() => ({ session: E2E.of('contactMessage'), contact: E2E.of('contact:message') }));
    expect(got.session[0]).toMatchObject({
      sender: aliceId,
      unique: true,
      content: 'Hello Bob!',
      uuid,
      uuidType: 'number',
      timeIsDate: true,
    });
    expect(got.contact[0]).toMatchObject({ id: aliceId, content: 'Hello Bob!', uuid, timeIsDate: true });

    const history = (user: typeof alice, other: string) =>
      user.page.evaluate(
        (id) =>
          E2E.session
            .getOrCreateContact(id)
            .getPreviousMessages()
            .map((m: { content: string }) => m.content),
        other,
      );
    expect(await history(alice, bobId)).toContain('Hello Bob!');
    expect(await history(bob, aliceId)).toContain('Hello Bob!');
  });

  test('sendCustomEvent: the target gets Session customEvent {event, content, sender} and Contact customEvent', async () => {
    const { alice, bob, aliceId, bobId } = await pair();
    await alice.page.evaluate((to) => E2E.session.getOrCreateContact(to).sendCustomEvent('hand-raised', { raised: true }), bobId);
    await waitInPage(bob, 'customEvent', () => E2E.count('customEvent') > 0);
    await waitInPage(bob, 'Contact customEvent', () => E2E.count('contact:customEvent') > 0);
    const got = await bob.page.evaluate(() => ({ session: E2E.of('customEvent'), contact: E2E.of('contact:customEvent') }));
    expect(got.session[0]).toMatchObject({ sender: aliceId, unique: true, event: 'hand-raised', content: { raised: true } });
    expect(got.contact[0]).toMatchObject({ id: aliceId, event: 'hand-raised', content: { raised: true } });
  });

  test('delivery needs only the id, not a shared presence group', async () => {
    const alice = await env.user('alice');
    const loner = await env.user('loner');
    await alice.page.evaluate(() => E2E.register());
    const lonerId = await loner.page.evaluate(() => E2E.register({ groups: ['island'], subscribeTo: ['island'] }));
    await alice.page.evaluate((to) => E2E.session.getOrCreateContact(to).sendMessage('anyone there?'), lonerId);
    await waitInPage(loner, 'contactMessage', () => E2E.of('contactMessage').some((e) => e.content === 'anyone there?'));
    expect(await alice.page.evaluate((id) => Object.keys(E2E.session.getContacts('default')).includes(id), lonerId)).toBe(false);
  });

  test('sending to a user who is not connected rejects 8 "Contact was not found "', async () => {
    const alice = await env.user('alice');
    await alice.page.evaluate(() => E2E.register());
    const results = await alice.page.evaluate(async () => {
      const ghost = E2E.session.getOrCreateContact('nobody-connected-with-this-id');
      const settle = (p: Promise<unknown>) =>
        p.then(
          () => ({ resolved: true }),
          (e: unknown) => E2E.error(e),
        );
      return {
        data: await settle(ghost.sendData({ x: 1 })),
        message: await settle(ghost.sendMessage('hello?')),
        customEvent: await settle(ghost.sendCustomEvent('knock', {})),
      };
    });
    expect(results.data).toEqual({ code: 8, message: 'sendData() - Contact was not found ' });
    expect(results.message).toEqual({ code: 8, message: 'sendMessage() - Contact was not found ' });
    expect(results.customEvent).toEqual({ code: 8, message: 'sendCustomEvent() - Contact was not found ' });
  });

  test('sendMessage with an empty or non-string message rejects 9', async () => {
    const { alice, bob, bobId } = await pair();
    const results = await alice.page.evaluate(async (to) => {
      const contact = E2E.session.getOrCreateContact(to);
      const settle = (p: Promise<unknown>) =>
        p.then(
          () => ({ resolved: true }),
          (e: unknown) => E2E.error(e),
        );
      return { empty: await settle(contact.sendMessage('')), notString: await settle(contact.sendMessage(42)) };
    }, bobId);
    expect(results.empty).toEqual({ code: 9, message: 'sendMessage() - message parameter is empty' });
    expect(results.notString).toEqual({ code: 9, message: 'sendMessage() - message parameter is not instance of string' });
    // Nothing was delivered; a later valid message is the first Bob gets.
    await alice.page.evaluate((to) => E2E.session.getOrCreateContact(to).sendMessage('valid'), bobId);
    await waitInPage(bob, 'the valid message', () => E2E.count('contactMessage') > 0);
    expect(await bob.page.evaluate(() => E2E.of('contactMessage').map((e) => e.content))).toEqual(['valid']);
  });
});
