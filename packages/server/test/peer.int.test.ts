/**
 * `peer.signal`: relayed untouched from one user to another of the same key (1-1 calls, data
 * channels, files, invitations), never to self or to an absent user, bounded and paced.
 */
import { describe, expect, it } from 'vitest';
import { useTestServer } from './helpers/testServer.js';

const env = useTestServer({ limits: { peerInvites: { max: 3, windowMs: 60_000 }, peerSignals: { max: 8, windowMs: 60_000 } } });

describe('peer.signal', () => {
  it('reaches the target as {from, session, payload}, in order, with an empty answer', async () => {
    const alice = await env.user('p-alice');
    const bob = await env.user('p-bob');
    const invite = { kind: 'invite', what: 'file', file: { name: 'a.bin', type: 'application/octet-stream', size: 42 } };
    expect(await alice.request({ type: 'peer.signal', to: 'p-bob', session: '123456', payload: invite })).toMatchObject({ ok: true });
    expect(await bob.nextEvent('peer.signal')).toMatchObject({ type: 'peer.signal', from: 'p-alice', session: '123456', payload: invite });
    expect(
      await bob.request({ type: 'peer.signal', to: 'p-alice', session: '123456', payload: { kind: 'decline', reason: 'User_Refused_Call' } }),
    ).toMatchObject({ ok: true });
    expect(await alice.nextEvent('peer.signal')).toMatchObject({ from: 'p-bob', payload: { kind: 'decline', reason: 'User_Refused_Call' } });
  });

  it('refuses self (9), an absent user (8) and malformed payloads (9); the session carries on', async () => {
    const alice = await env.user('p2-alice');
    const bob = await env.user('p2-bob');
    expect(await alice.request({ type: 'peer.signal', to: 'p2-alice', session: '1', payload: { kind: 'accept' } })).toMatchObject({
      ok: false,
      error: { code: 9, message: 'cannot signal yourself' },
    });
    expect(await alice.request({ type: 'peer.signal', to: 'p2-nobody', session: '1', payload: { kind: 'accept' } })).toMatchObject({
      ok: false,
      error: { code: 8, message: 'contact not found' },
    });
    const bad = [
      { type: 'peer.signal', to: 'p2-bob', session: 'abc', payload: { kind: 'accept' } },
      { type: 'peer.signal', to: 'p2-bob', session: '1', payload: { kind: 'teleport' } },
      { type: 'peer.signal', to: 'p2-bob', session: '1', payload: { kind: 'decline', reason: 'x'.repeat(300) } },
      { type: 'peer.signal', to: 'p2-bob', session: '1', payload: { kind: 'invite', what: 'file', file: { name: 'n', type: 't', size: -1 } } },
      { type: 'peer.signal', to: 'p2-bob', session: '1', payload: { kind: 'conversationInvite', conversation: 'room', expiresInMs: 0 } },
    ];
    for (const frame of bad) expect(await alice.request(frame)).toMatchObject({ ok: false, error: { code: 9 } });
    expect(bob.pendingEvents().filter((e) => e.type === 'peer.signal')).toEqual([]);
    expect(await alice.request({ type: 'peer.signal', to: 'p2-bob', session: '2', payload: { kind: 'hangup', reason: 'done' } })).toMatchObject({ ok: true });
    expect(await bob.nextEvent('peer.signal')).toMatchObject({ session: '2', payload: { kind: 'hangup' } });
  });

  it('paces invitations and signals per session (14), others unaffected', async () => {
    const alice = await env.user('p3-alice');
    await env.user('p3-bob');
    const carol = await env.user('p3-carol');
    const invite = (session: string) => ({ type: 'peer.signal', to: 'p3-bob', session, payload: { kind: 'invite', what: 'call', callType: 'media' } });
    for (const s of ['1', '2', '3']) expect(await alice.request(invite(s))).toMatchObject({ ok: true });
    expect(await alice.request(invite('4'))).toMatchObject({ ok: false, error: { code: 14, message: 'invitations sent too fast (max 3 per 60 s)' } });
    // Other signals still have budget: 3 invites + 5 more make the 8 of the window.
    for (let i = 0; i < 5; i++) {
      expect(
        await alice.request({
          type: 'peer.signal',
          to: 'p3-bob',
          session: '1',
          payload: { kind: 'candidate', candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' },
        }),
      ).toMatchObject({ ok: true });
    }
    expect(await alice.request({ type: 'peer.signal', to: 'p3-bob', session: '1', payload: { kind: 'cancel' } })).toMatchObject({
      ok: false,
      error: { code: 14, message: 'peer signals sent too fast (max 8 per 60 s)' },
    });
    expect(await carol.request(invite('9'))).toMatchObject({ ok: true });
    expect((await alice.request({ type: 'ping' })).ok).toBe(true);
  });
});
