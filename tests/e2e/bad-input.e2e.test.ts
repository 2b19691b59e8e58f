import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage } from './harness/index.js';

const env = useE2E('bad-input');

interface Frame {
  type: string;
  re?: number;
  ok?: boolean;
  error?: { code: number; message: string };
  data?: { userId?: string };
  [key: string]: unknown;
}

describe('garbage from a browser page on the signalling socket', () => {
  test('is answered with errors, a valid register on the same socket still works, and registered users notice nothing', async () => {
    const alice = await env.user('alice');
    const bob = await env.user('bob');
    const aliceId = await alice.page.evaluate(() => E2E.register());
    const bobId = await bob.page.evaluate(() => E2E.register());
    await waitInPage(alice, 'Bob in default', (id) => E2E.joined('default', id), bobId);

    const mallory = await env.user('mallory');
    await mallory.page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
          E2E.keep.ws = ws;
          E2E.keep.frames = [];
          E2E.keep.closed = null;
          ws.onmessage = (m) => E2E.keep.frames.push(JSON.parse(String(m.data)));
          ws.onclose = (c) => (E2E.keep.closed = { code: c.code });
          ws.onopen = () => resolve();
          ws.onerror = () => reject(new Error('raw socket failed to open'));
        }),
    );
    await mallory.page.evaluate(() => {
      const ws = E2E.keep.ws as WebSocket;
      ws.send('this is not json');
      ws.send('[1, 2, 3]');
      ws.send('{"type": "register"}');
      ws.send(JSON.stringify({ type: 'no.such.type', id: 1 }));
      ws.send(JSON.stringify({ type: 'group.join', id: 2, group: 'before-register' }));
      ws.send(JSON.stringify({ type: 'register', id: 3, apiKey: 42, groups: 'nope' }));
      ws.send(JSON.stringify({ type: 'ping', id: 4, padding: 'x'.repeat(70 * 1024) }));
    });
    // Frames without a readable id get protocolError; the oversized one (id readable or not,
    // the protocol lets the server choose) gets code 9 either way.
    await waitInPage(mallory, 'answers to requests 1-3 and a reply to the oversized frame', () => {
      const frames = E2E.keep.frames as Frame[];
      const answered = (re: number) => frames.some((f) => f.type === 'answer' && f.re === re);
      const protocolErrors = frames.filter((f) => f.type === 'protocolError').length;
      return answered(1) && answered(2) && answered(3) && (answered(4) ? protocolErrors >= 3 : protocolErrors >= 4);
    });

    const frames = await mallory.page.evaluate(() => E2E.keep.frames as Frame[]);
    const answer = (re: number) => frames.find((f) => f.type === 'answer' && f.re === re);
    const protocolErrors = frames.filter((x) => x.type === 'protocolError');
    expect(protocolErrors.length).toBeGreaterThanOrEqual(3);
    for (const f of protocolErrors) expect(f.error?.code).toBe(9);
    expect(answer(1)).toMatchObject({ ok: false, error: { code: 9 } });
    expect(answer(2)).toMatchObject({ ok: false, error: { code: 16 } });
    expect(answer(3)).toMatchObject({ ok: false, error: { code: 9 } });
    const oversized = answer(4);
    if (oversized) expect(oversized).toMatchObject({ ok: false, error: { code: 9, message: expect.stringContaining('too large') } });
    else expect(protocolErrors).toHaveLength(4);
    expect(await mallory.page.evaluate(() => E2E.keep.closed)).toBeNull();

    // The same socket can still register properly.
    await mallory.page.evaluate(() =>
      (E2E.keep.ws as WebSocket).send(
        JSON.stringify({ type: 'register', id: 10, apiKey: 'myDemoApiKey', groups: ['default'], subscribeTo: ['default'], userData: { username: 'raw' } }),
      ),
    );
    await waitInPage(mallory, 'register answer', () => (E2E.keep.frames as Frame[]).some((f) => f.type === 'answer' && f.re === 10));
    const registered = await mallory.page.evaluate(() => (E2E.keep.frames as Frame[]).find((f) => f.type === 'answer' && f.re === 10));
    expect(registered).toMatchObject({ ok: true, data: { userId: expect.stringMatching(/^\d+$/) } });
    const rawId = registered?.data?.userId as string;
    // It gets the presence snapshot of "default" like any user.
    await waitInPage(
      mallory,
      'presence snapshot listing Alice and Bob',
      (ids) => JSON.stringify(E2E.keep.frames).includes(ids[0] as string) && JSON.stringify(E2E.keep.frames).includes(ids[1] as string),
      [aliceId, bobId],
    );
    // Alice sees a normal newcomer...
    await waitInPage(alice, 'the raw user joining default', (id) => E2E.joined('default', id), rawId);

    // ...and otherwise nothing happened to Alice or Bob: their connection is intact.
    await alice.page.evaluate((to) => E2E.session.getOrCreateContact(to).sendMessage('still fine?'), bobId);
    await waitInPage(bob, 'message after the garbage', () => E2E.of('contactMessage').some((e) => e.content === 'still fine?'));
    for (const user of [alice, bob]) {
      const trouble = await user.page.evaluate(() => ['reconnecting', 'reconnection', 'disconnect', 'error'].map((t) => E2E.count(t)));
      expect(trouble).toEqual([0, 0, 0, 0]);
      expect(user.errors()).toEqual([]);
    }
    expect(await alice.page.evaluate((id) => E2E.left('default', id), bobId)).toBe(false);
  });
});
