import type { ClientMessage } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { CONVERSATION_STATUS_JOINED, CONVERSATION_STATUS_NOT_JOINED, CONVERSATION_STATUS_WAITING } from '../../constants.js';
import { runtime } from '../../runtime.js';
import { FakeServer } from '../../testing/FakeServer.js';
import type { Conversation } from '../Conversation.js';
import type { Session } from '../Session.js';
import { UserAgent } from '../UserAgent.js';

/*
 * The SDK side of moderation against a scripted server: the guest's wait and its outcomes, the
 * moderator's calls and their apiRTC errors, ejection. (The server's rules: moderation.int.test.ts;
 * both together in Chromium: tests/e2e/conversation/moderation.e2e.test.ts.)
 */

const flush = async (ms = 0): Promise<void> => {
  await vi.advanceTimersByTimeAsync(ms + 50);
};

/** `{code, message}` of an ApiRTCError rejection. */
const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'resolved',
    (e: { code: number; error: Error }) => ({ code: e.code, message: e.error.message }),
  );

/** {@link failure} once the fake server had the time to answer. */
async function settle(p: Promise<unknown>): Promise<unknown> {
  const outcome = failure(p);
  await flush();
  return outcome;
}

describe('Conversation moderation over a fake server', () => {
  let server: FakeServer;
  let session: Session;
  let moderation: { role: 'moderator' | 'guest'; waiting: boolean; moderator?: { id: string; userData: object } } | undefined;

  beforeEach(async () => {
    vi.useFakeTimers();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    server = new FakeServer();
    server.snapshot = { default: [] };
    moderation = undefined;
    server.respond = (m: ClientMessage) => {
      if (m.type === 'conv.join') return { data: { mode: 'sfu', meshOnly: false, ...(moderation ? { moderation } : {}) } };
      return undefined;
    };
    vi.stubGlobal('WebSocket', server.WebSocket);
    vi.stubGlobal('fetch', server.fetch);
    const ua = new UserAgent({ uri: 'apiKey:key' });
    const pending = ua.register({ cloudUrl: 'http://parley.test' });
    await flush();
    session = await pending;
  });
  afterEach(() => {
    runtime.userAgentInstance = undefined;
    runtime.legacySession.apiCCId = null;
    vi.unstubAllGlobals();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  function record(c: Conversation): string[] {
    const seen: string[] = [];
    for (const name of [
      'entryAllowed',
      'entryDenied',
      'joined',
      'left',
      'waitingForModeratorAcceptance',
      'moderatorConnected',
      'contactJoinedWaitingRoom',
      'contactLeftWaitingRoom',
    ]) {
      c.on(name, (p?: { getId(): string }) => seen.push(p && typeof p.getId === 'function' ? `${name} ${p.getId()}` : name));
    }
    c.on('participantEjected', (p: { self: boolean; reason?: string; contact?: { getId(): string } }) =>
      seen.push(`participantEjected ${p.self ? `self ${p.reason ?? ''}` : (p.contact?.getId() ?? '?')}`),
    );
    return seen;
  }

  async function guestWaiting(): Promise<{ c: Conversation; seen: string[]; result: Promise<unknown> }> {
    moderation = { role: 'guest', waiting: true, moderator: { id: 'mod', userData: { nickname: 'Mo' } } };
    const c = session.getOrCreateConversation('room', { moderationEnabled: true });
    const seen = record(c);
    const result = failure(c.join());
    await flush();
    return { c, seen, result };
  }

  test('the join request carries the options; a guest waits, then is allowed', async () => {
    const { c, seen, result } = await guestWaiting();
    expect(server.of('conv.join')[0]).toMatchObject({ moderationEnabled: true, moderator: false });
    expect(c.getStatus()).toBe(CONVERSATION_STATUS_WAITING);
    expect(c.getRole()).toBe('guest');
    expect(c.getModerator()?.getId()).toBe('mod');
    expect(c.getModerator()?.getUserData().get('nickname')).toBe('Mo');
    server.push({ type: 'conv.entry', conversation: 'room', decision: 'allowed', mode: 'sfu', meshOnly: false });
    await flush();
    expect(await result).toBe('resolved');
    expect(c.getStatus()).toBe(CONVERSATION_STATUS_JOINED);
    expect(seen).toEqual(['waitingForModeratorAcceptance mod', 'entryAllowed', 'joined']);
  });

  test('denied: join() rejects 14; cancelled: rejects 15 and the guest leaves the waiting room', async () => {
    const denied = await guestWaiting();
    server.push({ type: 'conv.entry', conversation: 'room', decision: 'denied' });
    await flush();
    expect(await denied.result).toEqual({ code: 14, message: 'You were not allowed to join the conversation' });
    expect(denied.c.getStatus()).toBe(CONVERSATION_STATUS_NOT_JOINED);
    expect(denied.seen).toContain('entryDenied');
    expect(denied.c.cancelJoin()).toBe(false);

    const again = failure(denied.c.join());
    await flush();
    server.push({ type: 'conv.moderator', conversation: 'room', moderator: { id: 'mod2', userData: {} } });
    await flush();
    expect(denied.seen).toContain('moderatorConnected mod2');
    expect(denied.c.cancelJoin()).toBe(true);
    await flush();
    expect(await again).toEqual({ code: 15, message: 'Operation canceled' });
    expect(server.of('conv.leave')).toHaveLength(1);
    expect(denied.c.getStatus()).toBe(CONVERSATION_STATUS_NOT_JOINED);
  });

  test('a guest re-registered while waiting (session dropped by the server) asks again and waits on', async () => {
    const { c, result } = await guestWaiting();
    server.refuseResume = true;
    server.current?.serverClose(1006);
    await flush(5_000);
    expect(server.of('conv.join')).toHaveLength(2);
    expect(c.getStatus()).toBe(CONVERSATION_STATUS_WAITING);
    server.push({ type: 'conv.entry', conversation: 'room', decision: 'allowed', mode: 'sfu', meshOnly: false });
    await flush();
    expect(await result).toBe('resolved');
    expect(c.getStatus()).toBe(CONVERSATION_STATUS_JOINED);
  });

  test("moderator: waiting room, allow / deny / eject, and apiRTC's errors", async () => {
    const c = session.getOrCreateConversation('room', { moderationEnabled: true, moderator: true });
    const seen = record(c);
    const bob = session.getOrCreateContact('bob');
    // Not joined yet.
    expect(await settle(c.allowEntry(bob))).toEqual({ code: 0, message: 'allowEntry() - conference not joined' });
    expect(await settle(c.eject(bob))).toEqual({ code: 0, message: 'eject() - conference not joined' });
    expect(c.getWaitingRoomContacts()).toEqual({});

    moderation = { role: 'moderator', waiting: false };
    const joined = c.join();
    await flush();
    await joined;
    expect(c.getRole()).toBe('moderator');
    server.push({ type: 'conv.waitingRoom', conversation: 'room', change: 'joined', contact: { id: 'bob', userData: { nickname: 'Bob' } } });
    await flush();
    expect(Object.keys(c.getWaitingRoomContacts())).toEqual(['bob']);
    expect(c.getWaitingRoomContacts().bob).toBe(bob);
    expect(bob.getUsername()).toBe('Bob');

    expect(await settle(c.allowEntry({ getId: () => 'bob' } as never))).toEqual({
      code: 9,
      message: 'allowEntry() - parameter is not an instance of apiRTC.Contact',
    });
    expect(await settle(c.allowEntry(bob))).toBe('resolved');
    expect(server.of('conv.allowEntry')[0]).toMatchObject({ conversation: 'room', userId: 'bob' });
    server.push({ type: 'conv.waitingRoom', conversation: 'room', change: 'left', contact: { id: 'bob', userData: {} } });
    await flush();
    expect(c.getWaitingRoomContacts()).toEqual({});
    expect(seen).toEqual(['joined', 'contactJoinedWaitingRoom bob', 'contactLeftWaitingRoom bob']);

    // The server's refusals keep apiRTC's wording for code 4.
    server.respond = (m) => (m.type === 'conv.denyEntry' ? { error: { code: 4, message: 'only a moderator can deny entry' } } : undefined);
    expect(await settle(c.denyEntry(bob, { reason: 'no' }))).toEqual({ code: 4, message: 'denyEntry() - only moderator can deny entry to a contact' });
    expect(server.of('conv.denyEntry')[0]).toMatchObject({ userId: 'bob', reason: 'no' });

    // eject: resolves on the answer; without one, 0 "eject() - timeout" after 5 s.
    expect(await settle(c.eject(bob, { reason: 'bye' }))).toBe('resolved');
    expect(server.of('conv.eject')[0]).toMatchObject({ userId: 'bob', reason: 'bye' });
    server.autoAnswer = false;
    const late = failure(c.eject(bob));
    await flush(5_000);
    expect(await late).toEqual({ code: 0, message: 'eject() - timeout' });
  });

  test('a participant is told of ejections; the ejected one leaves first, without a request', async () => {
    moderation = { role: 'guest', waiting: false };
    const c = session.getOrCreateConversation('room', { moderationEnabled: true });
    const seen = record(c);
    const joined = c.join();
    await flush();
    await joined;
    expect(await settle(c.allowEntry(session.getOrCreateContact('x')))).toEqual({
      code: 4,
      message: 'allowEntry() - only moderator can allow entry to a contact',
    });
    server.push({ type: 'conv.ejected', conversation: 'room', userId: 'carol' });
    server.push({ type: 'conv.ejected', conversation: 'room', userId: session.getId(), reason: 'rude' });
    await flush();
    expect(seen).toEqual(['joined', 'participantEjected carol', 'left', 'participantEjected self rude']);
    expect(c.getStatus()).toBe(CONVERSATION_STATUS_NOT_JOINED);
    expect(server.of('conv.leave')).toHaveLength(0);
  });
});
