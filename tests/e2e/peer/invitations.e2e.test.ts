import { describe, expect, test } from 'vitest';
import { peerUser } from './peerUser.js';
import { useE2E, waitInPage, type User } from '../harness/index.js';

// PEER is the helper object of peer-helpers.js, injected into each page.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const PEER: any;

const env = useE2E('invitations');

function registered(name: string): Promise<{ user: User; id: string }> {
  return peerUser(env, name);
}

/** Bob keeps each conversation invitation as E2E.keep.inv. */
async function invitee(bob: User, from: string): Promise<void> {
  await bob.page.evaluate((a) => {
    E2E.session.on('conversationInvitation', (inv: { getSender(): { getId(): string }; getConversation(): { getName(): string }; getId(): string }) => {
      PEER.trackInvitation(inv, 'inv');
      E2E.record('conversationInvitation', {
        from: inv.getSender().getId(),
        unique: E2E.isUnique(inv.getSender()),
        conversation: inv.getConversation().getName(),
        id: inv.getId(),
      });
    });
    E2E.session.getOrCreateContact(a).on('conversationInvitation', () => E2E.record('contact:conversationInvitation'));
  }, from);
}

/** Alice invites `to` to `room` (through Conversation.sendInvitation, or Contact.inviteTo). */
async function invite(alice: User, to: string, room: string, opts: { via?: 'contact'; expirationTime?: number } = {}): Promise<string> {
  return alice.page.evaluate(
    (a) => {
      const conversation = E2E.session.getOrCreateConversation(a.room);
      const contact = E2E.session.getOrCreateContact(a.to);
      const options = a.expirationTime === undefined ? undefined : { expirationTime: a.expirationTime };
      const sent = a.via === 'contact' ? contact.inviteTo(conversation, options) : conversation.sendInvitation(contact, options);
      E2E.keep['sent'] = sent;
      sent.on('statusChange', (e: { status: symbol }) => E2E.record('sent:statusChange', { status: PEER.status(e.status) }));
      sent.on('response', (s: symbol) => E2E.record('sent:response', { status: PEER.status(s) }));
      return sent.getId();
    },
    { to, room, ...opts },
  );
}

const statuses = (user: User, type: string) => user.page.evaluate((t) => E2E.of(t).map((e) => e.status), type);

describe('conversation invitations', () => {
  test('sendInvitation → conversationInvitation; accept() joins and the inviter sees ACCEPTED', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await invitee(b.user, a.id);
    const id = await invite(a.user, b.id, 'inv-room');
    await waitInPage(b.user, 'conversationInvitation', () => E2E.count('conversationInvitation') > 0);
    expect(await b.user.page.evaluate(() => E2E.of('conversationInvitation')[0])).toMatchObject({ from: a.id, unique: true, conversation: 'inv-room', id });
    expect(await b.user.page.evaluate(() => E2E.count('contact:conversationInvitation'))).toBe(1);

    const joined = await b.user.page.evaluate(async () => {
      const conversation = await E2E.keep['inv'].accept();
      return { same: conversation === E2E.session.getOrCreateConversation('inv-room'), status: PEER.status(conversation.getStatus()) };
    });
    expect(joined).toEqual({ same: true, status: 'CONVERSATION_STATUS_JOINED' });
    await waitInPage(a.user, 'ACCEPTED', () => E2E.count('sent:statusChange') > 0);
    expect(await statuses(a.user, 'sent:statusChange')).toEqual(['INVITATION_STATUS_ACCEPTED']);
    expect(await statuses(a.user, 'sent:response')).toEqual(['INVITATION_STATUS_ACCEPTED']);
    expect(await statuses(b.user, 'inv:statusChange')).toEqual(['INVITATION_STATUS_ACCEPTED']);
    const twice = await b.user.page.evaluate(() =>
      E2E.keep['inv'].accept().then(
        () => ({ resolved: 'yes' }),
        (e: unknown) => E2E.error(e),
      ),
    );
    expect(twice).toEqual({ code: 16, message: 'accept() - cannot accept invitation' });
  });

  test('Contact.inviteTo, declined: DECLINED on both sides', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await invitee(b.user, a.id);
    await invite(a.user, b.id, 'inv-room-2', { via: 'contact' });
    await waitInPage(b.user, 'conversationInvitation', () => E2E.count('conversationInvitation') > 0);
    await b.user.page.evaluate(() => E2E.keep['inv'].decline());
    await waitInPage(a.user, 'DECLINED', () => E2E.count('sent:statusChange') > 0);
    expect(await statuses(a.user, 'sent:statusChange')).toEqual(['INVITATION_STATUS_DECLINED']);
    expect(await statuses(b.user, 'inv:statusChange')).toEqual(['INVITATION_STATUS_DECLINED']);
  });

  test('an unanswered invitation expires on both sides; accepting it then is refused with 16', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await invitee(b.user, a.id);
    await invite(a.user, b.id, 'inv-room-3', { expirationTime: 1 });
    await waitInPage(b.user, 'conversationInvitation', () => E2E.count('conversationInvitation') > 0);
    await waitInPage(b.user, 'EXPIRED (invitee)', () => E2E.count('inv:statusChange') > 0);
    await waitInPage(a.user, 'EXPIRED (inviter)', () => E2E.count('sent:statusChange') > 0);
    expect(await statuses(b.user, 'inv:statusChange')).toEqual(['INVITATION_STATUS_EXPIRED']);
    expect(await statuses(a.user, 'sent:statusChange')).toEqual(['INVITATION_STATUS_EXPIRED']);
    const late = await b.user.page.evaluate(() =>
      E2E.keep['inv'].accept().then(
        () => ({ resolved: 'yes' }),
        (e: unknown) => E2E.error(e),
      ),
    );
    expect(late).toEqual({ code: 16, message: 'accept() - cannot accept invitation' });
    expect(await b.user.page.evaluate(() => PEER.status(E2E.session.getOrCreateConversation('inv-room-3').getStatus()))).toBe('CONVERSATION_STATUS_NOT_JOINED');
  });

  test('a cancelled invitation is CANCELLED for the invitee; bad targets are refused', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await invitee(b.user, a.id);
    await invite(a.user, b.id, 'inv-room-4');
    await waitInPage(b.user, 'conversationInvitation', () => E2E.count('conversationInvitation') > 0);
    await a.user.page.evaluate(() => E2E.keep['sent'].cancel());
    await waitInPage(b.user, 'CANCELLED', () => E2E.count('inv:statusChange') > 0);
    expect(await statuses(b.user, 'inv:statusChange')).toEqual(['INVITATION_STATUS_CANCELLED']);
    expect(await statuses(a.user, 'sent:statusChange')).toEqual(['INVITATION_STATUS_CANCELLED']);

    const refused = await a.user.page.evaluate(() => {
      const conversation = E2E.session.getOrCreateConversation('inv-room-5');
      return {
        notContact: conversation.sendInvitation({ getId: () => 'x' }) === null,
        self: conversation.sendInvitation(E2E.session.getOrCreateContact(E2E.session.getId())) === null,
        inviteToNotConversation: E2E.session.getOrCreateContact('x').inviteTo({}) === null,
      };
    });
    expect(refused).toEqual({ notContact: true, self: true, inviteToNotConversation: true });
    // An absent invitee: the invitation cannot be delivered and lapses at once.
    await invite(a.user, 'nobody-here', 'inv-room-6');
    await waitInPage(a.user, 'EXPIRED (absent invitee)', () => E2E.of('sent:statusChange').some((e) => e.status === 'INVITATION_STATUS_EXPIRED'));
  });
});
