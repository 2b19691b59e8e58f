import type { PeerSignalPayload } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { INVITATION_STATUS_ACCEPTED, INVITATION_STATUS_CANCELLED, INVITATION_STATUS_EXPIRED } from '../../constants.js';
import { PeerSessions } from '../call/PeerSessions.js';
import { Contact } from '../Contact.js';
import { Conversation } from '../Conversation.js';
import { ReceivedConversationInvitation } from './ReceivedConversationInvitation.js';
import { SentConversationInvitation } from './SentConversationInvitation.js';

function port() {
  const sent: { to: string; payload: PeerSignalPayload }[] = [];
  const sessions = new PeerSessions({
    selfId: () => 'me',
    contact: (id) => new Contact(id),
    request: (to, _session, payload) => {
      sent.push({ to, payload });
      return Promise.resolve();
    },
    report: () => undefined,
  });
  return { sessions, sent };
}

describe('conversation invitations', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('the inviter: delivered with its expiry; answered once; a late answer changes nothing', () => {
    const { sessions, sent } = port();
    const sent1 = new SentConversationInvitation(new Contact('bob'), new Conversation('room'), '9', { port: sessions, expiresInMs: 5000 });
    const statuses: symbol[] = [];
    const responses: symbol[] = [];
    sent1.on('statusChange', (e) => statuses.push(e.status));
    sent1.onResponse((s) => responses.push(s));
    sent1.start('room');
    expect(sent).toEqual([{ to: 'bob', payload: { kind: 'conversationInvite', conversation: 'room', expiresInMs: 5000 } }]);
    sessions.dispatch({ type: 'peer.signal', seq: 1, from: 'bob', session: '9', payload: { kind: 'accept' } });
    sessions.dispatch({ type: 'peer.signal', seq: 2, from: 'bob', session: '9', payload: { kind: 'decline', reason: 'x' } });
    vi.advanceTimersByTime(10_000);
    expect(statuses).toEqual([INVITATION_STATUS_ACCEPTED]);
    expect(responses).toEqual([INVITATION_STATUS_ACCEPTED]);
  });

  test('the inviter: unanswered → EXPIRED on time, and the invitee is told', () => {
    const { sessions, sent } = port();
    const inv = new SentConversationInvitation(new Contact('bob'), new Conversation('room'), '9', { port: sessions, expiresInMs: 5000 });
    inv.start('room');
    vi.advanceTimersByTime(4999);
    expect(inv.getStatus()).not.toBe(INVITATION_STATUS_EXPIRED);
    vi.advanceTimersByTime(1);
    expect(inv.getStatus()).toBe(INVITATION_STATUS_EXPIRED);
    expect(sent.at(-1)).toEqual({ to: 'bob', payload: { kind: 'expire' } });
  });

  test('the invitee: CANCELLED by the inviter, EXPIRED by its own clock; accept() then rejects 16', async () => {
    const { sessions } = port();
    const cancelled = new ReceivedConversationInvitation(new Contact('alice'), new Conversation('room'), '1', { port: sessions, expiresInMs: 5000 });
    sessions.dispatch({ type: 'peer.signal', seq: 1, from: 'alice', session: '1', payload: { kind: 'cancel' } });
    expect(cancelled.getStatus()).toBe(INVITATION_STATUS_CANCELLED);
    await expect(cancelled.accept()).rejects.toMatchObject({ code: 16, error: new Error('accept() - cannot accept invitation') });

    const lapsed = new ReceivedConversationInvitation(new Contact('alice'), new Conversation('room'), '2', { port: sessions, expiresInMs: 5000 });
    vi.advanceTimersByTime(5000);
    expect(lapsed.getStatus()).toBe(INVITATION_STATUS_EXPIRED);
  });
});
