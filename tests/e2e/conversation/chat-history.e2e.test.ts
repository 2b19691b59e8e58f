import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { closeOpenUsers, openSdkPage, startServer, useE2E, waitInPage, type E2EEnv, type RunningServer } from '../harness/index.js';
import { convUser, join } from './helpers.js';

const env = useE2E('chat-history');

type Item = { content: string; sender_id: string; senderIsContact: boolean; display_name: string; dateIsDate: boolean; timestamp: number; uuid: number };

/** `conversation.fetchMessageHistory(session, options)` in the page, as plain values. */
function fetchHistory(user: Awaited<ReturnType<typeof convUser>>['user'], options: object = {}): Promise<Item[] | { code: number; message: string }> {
  return user.page.evaluate(
    (opts) =>
      CONV.conv.fetchMessageHistory(E2E.session, opts).then(
        (items: { content: string; sender_id: string; sender: { getId(): string }; display_name: string; date: unknown; timestamp: number; uuid: number }[]) =>
          items.map((m) => ({
            content: m.content,
            sender_id: m.sender_id,
            senderIsContact: m.sender === E2E.session.getOrCreateContact(m.sender_id),
            display_name: m.display_name,
            dateIsDate: m.date instanceof Date,
            timestamp: m.timestamp,
            uuid: m.uuid,
          })),
        CONV.err,
      ),
    options,
  );
}

/** Alice joins `room` and writes three messages; returns her and their uuids. */
async function aliceWritesThree(e: Pick<E2EEnv, 'user'>, room: string) {
  const a = await convUser(e, 'alice');
  await join(a.user, room);
  const uuids: number[] = [];
  for (const text of ['first', 'second', 'third']) uuids.push(await a.user.page.evaluate((t) => CONV.conv.sendMessage(t) as Promise<number>, text));
  return { a, uuids };
}

describe('conversation chat history', () => {
  test('B joins after A wrote three messages and fetches them in order; pages back with count/before', async () => {
    const { a, uuids } = await aliceWritesThree(env, 'history-1');
    const b = await convUser(env, 'bob');
    await join(b.user, 'history-1');
    const items = await fetchHistory(b.user);
    expect(items).toEqual(
      ['first', 'second', 'third'].map((content, i) => ({
        content,
        sender_id: a.id,
        senderIsContact: true,
        display_name: expect.any(String),
        dateIsDate: true,
        timestamp: expect.any(Number),
        uuid: uuids[i],
      })),
    );
    const newest = await fetchHistory(b.user, { count: 2 });
    expect(Array.isArray(newest) && newest.map((m) => m.content)).toEqual(['second', 'third']);
    const older = await fetchHistory(b.user, { count: 2, before: uuids[1] });
    expect(Array.isArray(older) && older.map((m) => m.content)).toEqual(['first']);

    // Live messages after the join arrive as before, with the uuid the history lists.
    const live = await a.user.page.evaluate(() => CONV.conv.sendMessage('fourth') as Promise<number>);
    await waitInPage(b.user, 'message fourth', () => E2E.of('message').some((m) => m.content === 'fourth'));
    const last = await fetchHistory(b.user, { count: 1 });
    expect(Array.isArray(last) && last[0]?.uuid).toBe(live);
  });

  test('a non-participant cannot read the history; bad options are refused; the session carries on', async () => {
    await aliceWritesThree(env, 'history-2');
    const eve = await convUser(env, 'eve');
    const errors = await eve.user.page.evaluate(async () => {
      const conv = E2E.session.getOrCreateConversation('history-2');
      CONV.conv = conv;
      const out: Record<string, unknown> = {};
      out.notJoined = await conv.fetchMessageHistory(E2E.session).then(() => 'resolved', CONV.err);
      out.badCount = await conv.fetchMessageHistory(E2E.session, { count: 0 }).then(() => 'resolved', CONV.err);
      out.badBefore = await conv.fetchMessageHistory(E2E.session, { before: 'last' }).then(() => 'resolved', CONV.err);
      return out;
    });
    expect(errors).toEqual({
      notJoined: { code: 4, message: 'fetchMessageHistory() - could not fetch history: not a participant of this conversation' },
      badCount: { code: 9, message: 'fetchMessageHistory() - count must be an integer from 1 to 200' },
      badBefore: { code: 9, message: 'fetchMessageHistory() - before must be a message uuid' },
    });
    // Still connected and able to join and read.
    await join(eve.user, 'history-2');
    const items = await fetchHistory(eve.user);
    expect(Array.isArray(items) && items.map((m) => m.content)).toEqual(['first', 'second', 'third']);
  });

  test('1-1: loadMessageHistory fills getPreviousMessages of a new session with the stored thread', async () => {
    const bobId = `bob-${Date.now()}`;
    const a = await convUser(env, 'alice');
    const b = await convUser(env, 'bob', { id: bobId });
    await a.user.page.evaluate((id) => E2E.session.getOrCreateContact(id).sendMessage('hello bob'), bobId);
    await waitInPage(b.user, 'contactMessage', () => E2E.count('contactMessage') > 0);
    await b.user.page.evaluate((id) => E2E.session.getOrCreateContact(id).sendMessage('hello alice'), a.id);
    // Bob starts over: a new Session, nothing in memory.
    const loaded = await b.user.page.evaluate(
      async ([aliceId, id]) => {
        await E2E.ua.unregister();
        await E2E.register({ id });
        const contact = E2E.session.getOrCreateContact(aliceId);
        const before = contact.getPreviousMessages().length;
        const refused = await contact.loadMessageHistory(E2E.session, { count: 500 }).then(() => 'resolved', CONV.err);
        await contact.loadMessageHistory(E2E.session, { count: 10 });
        await contact.loadMessageHistory(E2E.session, { count: 10 });
        const list = contact
          .getPreviousMessages()
          .map((m: { content: string; sender: { getId(): string }; time: unknown }) => [m.sender.getId(), m.content, m.time instanceof Date]);
        return { before, refused, list };
      },
      [a.id, bobId] as const,
    );
    expect(loaded).toEqual({
      before: 0,
      refused: { code: 9, message: 'loadMessageHistory() - count must be an integer from 1 to 200' },
      // Loaded twice, listed once, oldest first.
      list: [
        [a.id, 'hello bob', true],
        [bobId, 'hello alice', true],
      ],
    });
  });
});

describe('chat history survives a server restart', () => {
  let dataDir = '';
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await closeOpenUsers({ all: true });
    for (const s of servers) await s.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('messages written before a restart are fetched after it', async () => {
    dataDir = await mkdtemp(joinPath(tmpdir(), 'parley-e2e-history-'));
    const serverEnv = { PARLEY_DATA_DIR: dataDir };
    const first = await startServer({ name: 'chat-history-1', env: serverEnv });
    servers.push(first);
    const { a } = await aliceWritesThree({ user: (name) => openSdkPage(env.browser, first.url, name) }, 'history-restart');
    await a.user.close();
    await first.stop();

    const second = await startServer({ name: 'chat-history-2', env: serverEnv });
    servers.push(second);
    const b = await convUser({ user: (name) => openSdkPage(env.browser, second.url, name) }, 'bob');
    await join(b.user, 'history-restart');
    const items = await fetchHistory(b.user);
    expect(Array.isArray(items) && items.map((m) => [m.sender_id, m.content])).toEqual([
      [a.id, 'first'],
      [a.id, 'second'],
      [a.id, 'third'],
    ]);
  });
});
