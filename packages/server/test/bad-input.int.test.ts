import { describe, expect, it } from 'vitest';
import { TestClient } from './helpers/TestClient.js';
import { useTestServer } from './helpers/testServer.js';

const env = useTestServer({
  limits: { maxMessageBytes: 4096, rateLimit: { burst: 20, perSecond: 1, maxRefusals: 30 } },
});
const user = (userId: string, groups: string[] = []): Promise<TestClient> => env.user(userId, { groups });

describe('bad input', () => {
  it('answers each kind of bad frame precisely, keeps the connection working, and other users notice nothing', async () => {
    const bystander = await user('b1-bystander', ['room']);
    await bystander.nextEvent('presence');
    const x = await user('b1-x', ['room']);
    await bystander.nextEvent('presence');
    await x.nextEvent('presence');

    x.sendRaw('this is not json');
    expect(await x.nextProtocolError()).toEqual({ code: 9, message: 'message is not valid JSON' });
    x.sendRaw(JSON.stringify({ type: 'ping' }));
    expect(await x.nextProtocolError()).toMatchObject({ code: 9, message: expect.stringMatching(/no valid id/) });
    x.sendRaw('[1,2,3]');
    expect(await x.nextProtocolError()).toMatchObject({ code: 9 });
    x.sendRaw(Buffer.from('{"type":"ping","id":1}'), true);
    expect(await x.nextProtocolError()).toMatchObject({ code: 9, message: 'binary frames are not supported' });

    expect(await x.request({ type: 'teleport' })).toMatchObject({ ok: false, error: { code: 9, message: 'unknown message type' } });
    expect(await x.request({ type: 'group.join', group: '' })).toMatchObject({ ok: false, error: { code: 9, message: expect.stringMatching(/^group: /) } });
    expect(await x.request({ type: 'group.join' })).toMatchObject({ ok: false, error: { code: 9, message: expect.stringMatching(/^group: /) } });

    const big = x.nextId++;
    x.sendRaw(JSON.stringify({ type: 'contact.send', id: big, to: 'b1-bystander', kind: 'data', content: 'x'.repeat(5000) }));
    expect(await x.nextAnswer(big)).toMatchObject({ ok: false, error: { code: 9, message: 'message too large' } });
    x.sendRaw(JSON.stringify({ content: 'x'.repeat(5000), id: 3 }));
    expect(await x.nextProtocolError()).toMatchObject({ code: 9, message: 'message too large' });

    // Still working.
    expect((await x.request({ type: 'ping' })).ok).toBe(true);
    expect((await x.request({ type: 'userData.set', userData: { ok: true } })).ok).toBe(true);
    // The bystander only heard the legitimate change.
    expect(await bystander.nextEvent('presence')).toMatchObject({ userDataChanged: [{ id: 'b1-x', userData: { ok: true } }] });
    expect(bystander.pendingEvents()).toEqual([]);
    expect((await bystander.request({ type: 'ping' })).ok).toBe(true);
  });

  it('closes the socket with 4002 after 20 invalid frames', async () => {
    const bystander = await user('b2-bystander');
    const x = await user('b2-x');
    for (let i = 0; i < 20; i++) x.sendRaw('nope');
    expect((await x.closed).code).toBe(4002);
    expect((await bystander.request({ type: 'ping' })).ok).toBe(true);
  });

  it('refuses requests over the rate limit with code 0, then closes with 4006', async () => {
    const bystander = await user('b3-bystander');
    const x = await user('b3-x');
    const ids: number[] = [];
    const answers: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const id = x.nextId++;
      ids.push(id);
      answers.push(x.nextAnswer(id).catch(() => undefined));
      x.sendRaw(JSON.stringify({ type: 'ping', id }));
    }
    const settled = await Promise.all(answers);
    const refused = settled.filter((a) => (a as { ok?: boolean } | undefined)?.ok === false);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ error: { code: 0, message: 'rate limit exceeded' } });
    expect((await x.closed).code).toBe(4006);
    expect((await bystander.request({ type: 'ping' })).ok).toBe(true);
  });

  it('closes frames over 1 MiB with 1009', async () => {
    const x = await user('b4-x');
    x.sendRaw('x'.repeat(1024 * 1024 + 1));
    expect((await x.closed).code).toBe(1009);
  });
});
