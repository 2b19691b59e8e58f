import { describe, expect, it } from 'vitest';
import { TestClient } from './helpers/TestClient.js';
import { useTestServer } from './helpers/testServer.js';

const env = useTestServer();
const user = (userId: string): Promise<TestClient> => env.user(userId);

describe('contact.send', () => {
  it('delivers data, messages and custom events, answering the same uuid', async () => {
    const alice = await user('c-alice');
    const bob = await user('c-bob');

    const data = await alice.request({ type: 'contact.send', to: 'c-bob', kind: 'data', content: { file: 'x.png', n: [1, 2] } });
    expect(data).toMatchObject({ ok: true, data: { uuid: expect.any(Number) } });
    expect(await bob.nextEvent('contact.data')).toEqual({ type: 'contact.data', seq: 1, from: 'c-alice', content: { file: 'x.png', n: [1, 2] } });

    const before = Date.now();
    const message = await alice.request({ type: 'contact.send', to: 'c-bob', kind: 'message', content: 'hello' });
    expect(message.ok).toBe(true);
    const uuid = (message as { data: { uuid: number } }).data.uuid;
    const received = await bob.nextEvent('contact.message');
    expect(received).toMatchObject({ seq: 2, from: 'c-alice', content: 'hello', uuid });
    expect(received.time).toBeGreaterThanOrEqual(before - 1000);

    const custom = await alice.request({ type: 'contact.send', to: 'c-bob', kind: 'customEvent', event: 'wave', content: { hand: 'left' } });
    expect(custom.ok).toBe(true);
    expect(await bob.nextEvent('contact.customEvent')).toEqual({
      type: 'contact.customEvent',
      seq: 3,
      from: 'c-alice',
      event: 'wave',
      content: { hand: 'left' },
    });
  });

  it('uuids increase', async () => {
    const alice = await user('c2-alice');
    await user('c2-bob');
    const uuids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await alice.request({ type: 'contact.send', to: 'c2-bob', kind: 'message', content: `m${i}` });
      uuids.push((answer as { data: { uuid: number } }).data.uuid);
    }
    expect(uuids[1]).toBeGreaterThan(uuids[0] as number);
    expect(uuids[2]).toBeGreaterThan(uuids[1] as number);
  });

  it('answers code 8 when the target is not present', async () => {
    const alice = await user('c3-alice');
    expect(await alice.request({ type: 'contact.send', to: 'nobody', kind: 'data', content: 1 })).toEqual({
      type: 'answer',
      re: expect.any(Number),
      ok: false,
      error: { code: 8, message: 'contact not found' },
    });
  });

  it('validates the kinds (message content must be a non-empty string)', async () => {
    const alice = await user('c4-alice');
    await user('c4-bob');
    expect(await alice.request({ type: 'contact.send', to: 'c4-bob', kind: 'message', content: 42 })).toMatchObject({ ok: false, error: { code: 9 } });
    expect(await alice.request({ type: 'contact.send', to: 'c4-bob', kind: 'customEvent', content: 1 })).toMatchObject({ ok: false, error: { code: 9 } });
    expect(await alice.request({ type: 'contact.send', to: 'c4-bob', kind: 'shout', content: 1 })).toMatchObject({ ok: false, error: { code: 9 } });
  });
});
