import type { HistoryResult } from '@parley/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { codeOf, dataOf, joinConversation } from './helpers/conversation.js';
import { TestClient } from './helpers/TestClient.js';
import { startTestServer, useTestServer } from './helpers/testServer.js';

const env = useTestServer({ history: { maxMessagesPerThread: 50 } });
const user = (userId: string, nickname?: string): Promise<TestClient> => env.user(userId, nickname ? { userData: { nickname } } : {});

async function say(client: TestClient, conversation: string, content: string): Promise<number> {
  return dataOf<{ uuid: number }>(await client.request({ type: 'conv.message', conversation, content })).uuid;
}

async function history(client: TestClient, request: Record<string, unknown>): Promise<HistoryResult> {
  return dataOf<HistoryResult>(await client.request({ type: 'conv.history', ...request }));
}

describe('conversation history', () => {
  it('gives a late joiner what was said before it joined, in order, with the uuids receivers got', async () => {
    const alice = await user('h1-alice', 'Alice');
    await joinConversation(alice, 'h1');
    const uuids = [await say(alice, 'h1', 'one'), await say(alice, 'h1', 'two'), await say(alice, 'h1', 'three')];
    const bob = await user('h1-bob');
    await joinConversation(bob, 'h1');
    const page = await history(bob, { conversation: 'h1' });
    expect(page.more).toBe(false);
    expect(page.messages.map((m) => [m.uuid, m.from, m.content, m.displayName])).toEqual([
      [uuids[0], 'h1-alice', 'one', 'Alice'],
      [uuids[1], 'h1-alice', 'two', 'Alice'],
      [uuids[2], 'h1-alice', 'three', 'Alice'],
    ]);
    // Bob receives the live message with the uuid the history will list it under.
    const live = await say(alice, 'h1', 'four');
    expect(await bob.nextEvent('conv.message')).toMatchObject({ content: 'four', uuid: live });
  });

  it('pages back with count and before until nothing older remains', async () => {
    const alice = await user('h2-alice');
    await joinConversation(alice, 'h2');
    for (let i = 1; i <= 7; i++) await say(alice, 'h2', `m${i}`);
    const seen: string[][] = [];
    let before: number | undefined;
    for (;;) {
      const page = await history(alice, { conversation: 'h2', count: 3, ...(before !== undefined ? { before } : {}) });
      seen.push(page.messages.map((m) => m.content));
      if (!page.more) break;
      before = page.messages[0]?.uuid;
    }
    expect(seen).toEqual([['m5', 'm6', 'm7'], ['m2', 'm3', 'm4'], ['m1']]);
  });

  it('is read by participants only; bad paging is refused with 9', async () => {
    const alice = await user('h3-alice');
    await joinConversation(alice, 'h3');
    await say(alice, 'h3', 'secret');
    const eve = await user('h3-eve');
    const refused = await eve.request({ type: 'conv.history', conversation: 'h3' });
    expect(refused).toMatchObject({ ok: false, error: { code: 4, message: 'not a participant of this conversation' } });
    // In another conversation is not in this one; leaving ends the right to read.
    await joinConversation(eve, 'h3-other');
    expect(codeOf(await eve.request({ type: 'conv.history', conversation: 'h3' }))).toBe(4);
    expect((await alice.request({ type: 'conv.leave', conversation: 'h3' })).ok).toBe(true);
    expect(codeOf(await alice.request({ type: 'conv.history', conversation: 'h3' }))).toBe(4);
    expect(codeOf(await eve.request({ type: 'conv.history', conversation: 'h3-other', count: 0 }))).toBe(9);
    expect(codeOf(await eve.request({ type: 'conv.history', conversation: 'h3-other', before: 'x' }))).toBe(9);
    // The connection carries on.
    expect(await history(eve, { conversation: 'h3-other' })).toEqual({ messages: [], more: false });
  });
});

describe('1-1 history', () => {
  it('is the same thread from both ends, and holds only messages that were delivered', async () => {
    const alice = await user('h4-alice');
    const bob = await user('h4-bob');
    await alice.request({ type: 'contact.send', to: 'h4-bob', kind: 'message', content: 'hi bob' });
    await bob.request({ type: 'contact.send', to: 'h4-alice', kind: 'message', content: 'hi alice' });
    // Data and custom events are not chat; a message to nobody is refused and not kept.
    await alice.request({ type: 'contact.send', to: 'h4-bob', kind: 'data', content: { x: 1 } });
    expect(codeOf(await alice.request({ type: 'contact.send', to: 'h4-nobody', kind: 'message', content: 'lost' }))).toBe(8);

    const fromAlice = dataOf<HistoryResult>(await alice.request({ type: 'contact.history', contact: 'h4-bob' }));
    const fromBob = dataOf<HistoryResult>(await bob.request({ type: 'contact.history', contact: 'h4-alice' }));
    expect(fromAlice).toEqual(fromBob);
    expect(fromAlice.messages.map((m) => [m.from, m.to, m.content])).toEqual([
      ['h4-alice', 'h4-bob', 'hi bob'],
      ['h4-bob', 'h4-alice', 'hi alice'],
    ]);
    expect(dataOf<HistoryResult>(await alice.request({ type: 'contact.history', contact: 'h4-nobody' })).messages).toEqual([]);
    // A third user reads only its own threads.
    const carol = await user('h4-carol');
    expect(dataOf<HistoryResult>(await carol.request({ type: 'contact.history', contact: 'h4-bob' })).messages).toEqual([]);
    expect(codeOf(await carol.request({ type: 'contact.history', contact: 'h4-carol' }))).toBe(9);
  });
});

describe('history across a restart and when disabled', () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it('keeps messages in the data directory across a server restart', async () => {
    const first = await startTestServer();
    const alice = (await TestClient.registered(first.url, { userId: 'r-alice' })).client;
    await joinConversation(alice, 'r');
    await say(alice, 'r', 'before restart');
    await alice.close();
    await first.close();

    const second = await startServer({ port: 0, host: '127.0.0.1', dataDir: first.dataDir, logLevel: 'silent' });
    stops.push(
      () => first.stop(),
      () => second.close(),
    );
    const bob = (await TestClient.registered(second.url, { userId: 'r-bob' })).client;
    await joinConversation(bob, 'r');
    expect((await history(bob, { conversation: 'r' })).messages.map((m) => [m.from, m.content])).toEqual([['r-alice', 'before restart']]);
    const uuid = await say(bob, 'r', 'after restart');
    expect(uuid).toBeGreaterThan((await history(bob, { conversation: 'r', count: 1, before: uuid })).messages[0]?.uuid ?? Infinity);
    await bob.close();
  });

  it('stores nothing and refuses reads when history is disabled', async () => {
    const server = await startTestServer({ history: { enabled: false } });
    stops.push(() => server.stop());
    const alice = (await TestClient.registered(server.url, { userId: 'd-alice' })).client;
    await joinConversation(alice, 'd');
    await say(alice, 'd', 'not kept');
    expect(await alice.request({ type: 'conv.history', conversation: 'd' })).toMatchObject({
      ok: false,
      error: { code: 0, message: 'chat history is disabled on this server' },
    });
    await alice.close();
  });
});
