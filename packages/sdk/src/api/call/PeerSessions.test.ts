import { ErrorCode, type PeerSignalPayload } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  CALL_STATUS_ENDED,
  CALL_STATUS_ONGOING,
  CALL_STATUS_WAITING_FOR_CALLEE,
  INVITATION_STATUS_ACCEPTED,
  INVITATION_STATUS_DECLINED,
  INVITATION_STATUS_EXPIRED,
} from '../../constants.js';
import { RequestError } from '../../engine/RequestError.js';
import { Call } from '../Call.js';
import { Contact } from '../Contact.js';
import { CALL_INVITATION_EXPIRY_MS, ReceivedCallInvitation } from '../invitations/ReceivedCallInvitation.js';
import { expiryOf } from './CallBook.js';
import type { CallInit } from './CallInit.js';
import { PeerSessions } from './PeerSessions.js';

/*
 * The state machines of 1-1 calls over the session's signalling table, without media: Node has no
 * RTCPeerConnection, so these paths stop before a connection would be made (no local stream, no
 * offer). The media paths run in Chromium (tests/e2e/peer/calls.e2e.test.ts).
 */

interface Sent {
  to: string;
  session: string;
  payload: PeerSignalPayload;
}

function setup(sendResult: () => Promise<void> = () => Promise.resolve()) {
  const sent: Sent[] = [];
  const invites: { from: string; session: string; payload: PeerSignalPayload }[] = [];
  const sessions = new PeerSessions({
    selfId: () => 'me',
    contact: (id) => new Contact(id),
    request: (to, session, payload) => {
      sent.push({ to, session, payload });
      return sendResult();
    },
    report: () => undefined,
  });
  sessions.invites = {
    invite: (from, session, payload) => invites.push({ from: from.getId(), session, payload }),
    conversationInvite: () => undefined,
  };
  return { sessions, sent, invites };
}

function callerCall(sessions: PeerSessions, ended = vi.fn()): { call: Call; events: string[]; ended: typeof ended } {
  const init: CallInit = { port: sessions, role: 'caller', callType: 'none', localStream: () => Promise.resolve({ stream: null, acquired: false }), ended };
  const call = new Call('42', new Contact('bob'), init);
  const events: string[] = [];
  call.on('hangup', (e) => events.push(`hangup:${e.from}:${e.reason}`));
  call.on('declined', (e) => events.push(`declined:${e.reason}`));
  call.on('accepted', () => events.push('accepted'));
  call.on('error', (e) => events.push(`error:${e.errorCode}`));
  return { call, events, ended };
}

const signal = (sessions: PeerSessions, from: string, session: string, payload: PeerSignalPayload): void =>
  sessions.dispatch({ type: 'peer.signal', seq: 1, from, session, payload });

describe('PeerSessions routing', () => {
  test('an invite for an unknown session opens it; other stray signals are dropped', () => {
    const { sessions, invites } = setup();
    signal(sessions, 'bob', '7', { kind: 'hangup', reason: 'x' });
    signal(sessions, 'bob', '7', { kind: 'invite', what: 'call', callType: 'media' });
    expect(invites).toEqual([{ from: 'bob', session: '7', payload: { kind: 'invite', what: 'call', callType: 'media' } }]);
  });

  test('a signal for a live session from another user is ignored', async () => {
    const { sessions } = setup();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { call, events } = callerCall(sessions);
    call.start();
    await Promise.resolve();
    signal(sessions, 'mallory', '42', { kind: 'decline', reason: 'User_Refused_Call' });
    expect(events).toEqual([]);
    expect(call.getStatus()).toBe(CALL_STATUS_WAITING_FOR_CALLEE);
  });

  test('sessionEnded ends every live session once', async () => {
    const { sessions } = setup();
    const { call, events, ended } = callerCall(sessions);
    call.start();
    await Promise.resolve();
    sessions.sessionEnded();
    sessions.sessionEnded();
    expect(events).toEqual(['hangup:local:disconnected']);
    expect(ended).toHaveBeenCalledTimes(1);
  });
});

describe('Call (caller side)', () => {
  let flush: () => Promise<void>;
  beforeEach(() => {
    flush = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
  });
  afterEach(() => vi.restoreAllMocks());

  test('rings with an invite once the local media is known', async () => {
    const { sessions, sent } = setup();
    const { call } = callerCall(sessions);
    call.start();
    await flush();
    expect(sent).toEqual([{ to: 'bob', session: '42', payload: { kind: 'invite', what: 'call', callType: 'none' } }]);
    expect(call.getStatus()).toBe(CALL_STATUS_WAITING_FOR_CALLEE);
  });

  test('the invite carries the ringing expiry the caller chose', async () => {
    const { sessions, sent } = setup();
    const init: CallInit = {
      port: sessions,
      role: 'caller',
      callType: 'audio',
      localStream: () => Promise.resolve({ stream: null, acquired: false }),
      expiresInMs: 5_000,
      ended: vi.fn(),
    };
    new Call('42', new Contact('bob'), init).start();
    await flush();
    expect(sent.map((s) => s.payload)).toEqual([{ kind: 'invite', what: 'call', callType: 'audio', expiresInMs: 5_000 }]);
  });

  test('nobody answers: when the invitation rings out the caller withdraws it and ends No_Answer', async () => {
    vi.useFakeTimers();
    try {
      const { sessions, sent } = setup();
      const ended = vi.fn();
      const init: CallInit = {
        port: sessions,
        role: 'caller',
        callType: 'audio',
        localStream: () => Promise.resolve({ stream: null, acquired: false }),
        expiresInMs: 5_000,
        ended,
      };
      const call = new Call('42', new Contact('bob'), init);
      const events: string[] = [];
      call.on('hangup', (e) => events.push(`hangup:${e.from}:${e.reason}`));
      call.start();
      await flush();
      await vi.advanceTimersByTimeAsync(4_999);
      expect(call.getStatus()).toBe(CALL_STATUS_WAITING_FOR_CALLEE);
      await vi.advanceTimersByTimeAsync(1);
      expect(events).toEqual(['hangup:remote:No_Answer']);
      expect(sent.map((s) => s.payload.kind)).toEqual(['invite', 'cancel']);
      expect(call.getStatus()).toBe(CALL_STATUS_ENDED);
      expect(ended).toHaveBeenCalledTimes(1);
      // A late accept changes nothing.
      signal(sessions, 'bob', '42', { kind: 'accept' });
      expect(events).toEqual(['hangup:remote:No_Answer']);
    } finally {
      vi.useRealTimers();
    }
  });

  test('an answer before the expiry stops the ringing timer', async () => {
    vi.useFakeTimers();
    try {
      const { sessions } = setup();
      const init: CallInit = {
        port: sessions,
        role: 'caller',
        callType: 'none',
        localStream: () => Promise.resolve({ stream: null, acquired: false }),
        expiresInMs: 5_000,
        ended: vi.fn(),
      };
      const call = new Call('42', new Contact('bob'), init);
      call.start();
      await flush();
      signal(sessions, 'bob', '42', { kind: 'decline', reason: 'User_Refused_Call' });
      expect(call.getStatus()).toBe(CALL_STATUS_ENDED);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  test('declined: hangup (remote, reason) then declined, ENDED, forgotten by the session', async () => {
    const { sessions } = setup();
    const { call, events, ended } = callerCall(sessions);
    call.start();
    await flush();
    signal(sessions, 'bob', '42', { kind: 'decline', reason: 'User_Busy' });
    expect(events).toEqual(['hangup:remote:User_Busy', 'declined:User_Busy']);
    expect(call.getStatus()).toBe(CALL_STATUS_ENDED);
    expect(ended).toHaveBeenCalledTimes(1);
    // Ended is final: later signals and hangUp() change nothing.
    signal(sessions, 'bob', '42', { kind: 'hangup', reason: 'late' });
    call.hangUp();
    expect(events).toHaveLength(2);
  });

  test('hangUp() before an answer withdraws the invitation (cancel) and ends locally', async () => {
    const { sessions, sent } = setup();
    const { call, events } = callerCall(sessions);
    call.start();
    await flush();
    call.hangUp();
    expect(sent.at(-1)).toEqual({ to: 'bob', session: '42', payload: { kind: 'cancel' } });
    expect(events).toEqual(['hangup:local:Hangup_From_Caller']);
  });

  test('accepted: ONGOING and `accepted`; a remote hangup then ends it before any connection is made', async () => {
    const { sessions } = setup();
    const { call, events } = callerCall(sessions);
    call.start();
    await flush();
    signal(sessions, 'bob', '42', { kind: 'accept' });
    expect(call.getStatus()).toBe(CALL_STATUS_ONGOING);
    expect(events).toEqual(['accepted']);
    signal(sessions, 'bob', '42', { kind: 'hangup', reason: 'Hangup_From_Callee' });
    await flush();
    expect(events).toEqual(['accepted', 'hangup:remote:Hangup_From_Callee']);
  });

  test('accepted but no connection can be made: error, then the call ends for both sides', async () => {
    vi.stubGlobal(
      'RTCPeerConnection',
      class {
        constructor() {
          throw new Error('no WebRTC here');
        }
      },
    );
    try {
      const { sessions, sent } = setup();
      const { call, events } = callerCall(sessions);
      call.start();
      await flush();
      signal(sessions, 'bob', '42', { kind: 'accept' });
      await flush();
      expect(events).toEqual(['accepted', 'error:PEER_CONNECTION_FAILED', 'hangup:local:disconnected']);
      expect(sent.at(-1)).toEqual({ to: 'bob', session: '42', payload: { kind: 'hangup', reason: 'disconnected' } });
      expect(call.getStatus()).toBe(CALL_STATUS_ENDED);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  test('an absent callee: error User_Not_Found, then hangup User_Not_Found', async () => {
    const { sessions } = setup(() => Promise.reject(new RequestError('answer', ErrorCode.NOT_FOUND, 'contact not found')));
    const { call, events } = callerCall(sessions);
    call.start();
    await flush();
    expect(events).toEqual(['error:User_Not_Found', 'hangup:remote:User_Not_Found']);
    expect(call.getStatus()).toBe(CALL_STATUS_ENDED);
  });
});

describe('ReceivedCallInvitation', () => {
  afterEach(() => vi.useRealTimers());

  function invitation(expiresInMs = CALL_INVITATION_EXPIRY_MS) {
    const env = setup();
    const answer = vi.fn(() => new Call('42', new Contact('bob')));
    const inv = new ReceivedCallInvitation(new Contact('bob'), '42', 'media', { port: env.sessions, answer, expiresInMs });
    const statuses: symbol[] = [];
    let expired = 0;
    inv.on('statusChange', (e) => statuses.push(e.status));
    inv.on('expired', () => expired++);
    return { ...env, inv, answer, statuses, expired: () => expired };
  }

  test('accept: ACCEPTED, the Call resolves, a second accept rejects 10', async () => {
    const { inv, answer, statuses } = invitation();
    const call = await inv.accept(null, { mediaTypeForIncomingCall: 'AUDIO' });
    expect(call).toBeInstanceOf(Call);
    expect(inv.getCall()).toBe(call);
    expect(answer).toHaveBeenCalledWith(null, { mediaTypeForIncomingCall: 'AUDIO' });
    expect(statuses).toEqual([INVITATION_STATUS_ACCEPTED]);
    await expect(inv.accept()).rejects.toMatchObject({ code: 10, error: new Error('accept() - Cannot join this call, invitation state invalid') });
  });

  test('decline: DECLINED, the caller is told User_Refused_Call (or the given reason)', () => {
    const { inv, sent, statuses } = invitation();
    inv.decline();
    expect(statuses).toEqual([INVITATION_STATUS_DECLINED]);
    expect(sent).toEqual([{ to: 'bob', session: '42', payload: { kind: 'decline', reason: 'User_Refused_Call' } }]);
  });

  test('the caller withdrew: EXPIRED and `expired`; accepting then rejects 10', async () => {
    const { inv, sessions, statuses, expired } = invitation();
    signal(sessions, 'bob', '42', { kind: 'cancel' });
    expect(statuses).toEqual([INVITATION_STATUS_EXPIRED]);
    expect(expired()).toBe(1);
    await expect(inv.accept()).rejects.toMatchObject({ code: 10 });
    signal(sessions, 'bob', '42', { kind: 'cancel' });
    expect(expired()).toBe(1);
  });

  test('unanswered: EXPIRED and `expired` once the expiry passes (the caller may be gone), the session forgotten', async () => {
    vi.useFakeTimers();
    const { inv, sessions, statuses, expired } = invitation(3_000);
    vi.advanceTimersByTime(2_999);
    expect(statuses).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(statuses).toEqual([INVITATION_STATUS_EXPIRED]);
    expect(expired()).toBe(1);
    await expect(inv.accept()).rejects.toMatchObject({ code: 10 });
    // The session is no longer routed to the invitation: a late cancel changes nothing.
    signal(sessions, 'bob', '42', { kind: 'cancel' });
    expect(expired()).toBe(1);
  });

  test('an answer stops the expiry', async () => {
    vi.useFakeTimers();
    const { inv, statuses, expired } = invitation(3_000);
    await inv.accept();
    vi.advanceTimersByTime(10_000);
    expect(statuses).toEqual([INVITATION_STATUS_ACCEPTED]);
    expect(expired()).toBe(0);
  });
});

describe('expiryOf (CallOptions.expirationTime)', () => {
  test('seconds to ms, capped at a day; the 60 s default for absent or bad values', () => {
    expect(expiryOf(5)).toBe(5_000);
    expect(expiryOf(0.5)).toBe(500);
    expect(expiryOf(1e9)).toBe(86_400_000);
    for (const bad of [undefined, 0, -3, 'x', NaN, null, {}]) expect(expiryOf(bad)).toBe(60_000);
    expect(CALL_INVITATION_EXPIRY_MS).toBe(60_000);
  });
});
