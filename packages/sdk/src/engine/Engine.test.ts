import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { FakeServer } from '../testing/FakeServer.js';
import { Engine } from './Engine.js';
import type { EngineEvents, EngineOptions } from './types.js';

function engineFor(server: FakeServer, options: Partial<EngineOptions> = {}): { engine: Engine; log: string[] } {
  const engine = new Engine({
    baseUrl: 'http://parley.test',
    apiKey: 'key',
    groups: ['default'],
    subscribeTo: ['default'],
    userData: { username: 'me' },
    webSocketFactory: server.WebSocket,
    fetchImpl: server.fetch,
    ...options,
  });
  const log: string[] = [];
  const record = <K extends keyof EngineEvents>(name: K, describe: (...a: EngineEvents[K]) => string) =>
    engine.on(name, (...a: EngineEvents[K]) => log.push(describe(...a)));
  record('status', (s) => `status:${s}`);
  record('reconnecting', () => 'reconnecting');
  record('reconnection', () => 'reconnection');
  record('closed', (reason, voluntary) => `closed:${voluntary ? 'voluntary' : reason}`);
  record(
    'presence',
    (d) =>
      `presence:${JSON.stringify({ joined: Object.fromEntries([...d.joined].map(([g, l]) => [g, l.map((c) => c.id)])), left: Object.fromEntries(d.left) })}`,
  );
  record('contactMessage', (e) => `message:${e.from}:${e.content}`);
  return { engine, log };
}

// Fake timers give a setTimeout(0) scheduled while timers run a 1 ms delay: each socket hop costs
// a millisecond, hence the margin.
const flush = async (ms = 0): Promise<void> => {
  await vi.advanceTimersByTimeAsync(ms + 50);
};

describe('Engine', () => {
  let server: FakeServer;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    server = new FakeServer();
    server.snapshot = { default: [{ id: '7', userData: { username: 'seven' } }] };
    server.present.add('7');
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  async function connected(options?: Partial<EngineOptions>) {
    const made = engineFor(server, options);
    const result = made.engine.connect();
    await flush();
    await expect(result).resolves.toMatchObject({ userId: '1000' });
    return made;
  }

  test('connect: lookup, register with groups and user data, then the presence snapshot', async () => {
    const { engine, log } = await connected();
    expect(server.of('register')[0]).toMatchObject({ apiKey: 'key', groups: ['default'], subscribeTo: ['default'], userData: { username: 'me' } });
    expect(log).toEqual(['status:connected', 'presence:{"joined":{"default":["7"]},"left":{}}']);
    expect(engine.presence.isIn('7', 'default')).toBe(true);
  });

  test('a refused registration rejects with the server reason; a failing lookup is retried then fails', async () => {
    server.registerRefusal = 'unknown apiKey';
    const refused = engineFor(server).engine.connect();
    const failure = refused.catch((e: unknown) => e);
    await flush();
    expect(await failure).toMatchObject({ kind: 'refused', message: 'unknown apiKey' });

    const fetchImpl = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')));
    const lost = engineFor(server, { fetchImpl: fetchImpl as unknown as typeof fetch, lookupRetries: 2, lookupRetryDelayMs: 100 }).engine.connect();
    const lookupFailure = lost.catch((e: unknown) => e);
    await flush(100 + 200);
    expect(await lookupFailure).toMatchObject({ kind: 'lookup' });
    expect(fetchImpl).toHaveBeenCalledTimes(3);
  });

  test('contact delivery without acknowledgement times out after 10 s (code 11); not found answers code 8', async () => {
    const { engine } = await connected();
    const notFound = engine.request({ type: 'contact.send', to: 'nobody', kind: 'data', content: 1 }).catch((e: unknown) => e);
    await flush();
    expect(await notFound).toMatchObject({ kind: 'answer', code: 8 });
    server.autoAnswer = false;
    const pending = engine.request({ type: 'contact.send', to: '7', kind: 'data', content: 1 }, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await flush(10_000);
    expect(await pending).toMatchObject({ kind: 'timeout', code: 11 });
  });

  test('events at or below the last seq are dropped as replay duplicates', async () => {
    const { log } = await connected();
    server.current?.deliver({ type: 'contact.message', seq: 2, from: '7', content: 'a', uuid: 1, time: 0 });
    server.current?.deliver({ type: 'contact.message', seq: 2, from: '7', content: 'a again', uuid: 1, time: 0 });
    server.current?.deliver({ type: 'contact.message', seq: 3, from: '7', content: 'b', uuid: 2, time: 0 });
    server.current?.deliver({ type: 'contact.message', seq: 'bad' });
    await flush();
    expect(log.filter((l) => l.startsWith('message'))).toEqual(['message:7:a', 'message:7:b']);
  });

  test('socket loss: retry + reconnecting, resume with lastSeq, unanswered requests sent again with the same ids, events replayed', async () => {
    const { engine, log } = await connected();
    server.loseAnswers = true;
    const join = engine.joinGroup('team');
    expect(join).toBe(true);
    await flush();
    const joinId = server.of('group.join')[0]?.id;
    server.current?.serverClose(1006);
    await flush();
    server.push({ type: 'contact.message', from: '7', content: 'while away', uuid: 9, time: 0 });
    server.loseAnswers = false;
    expect(engine.leaveGroup('nothing')).toBe(false);
    const sent = engine.request({ type: 'contact.send', to: '7', kind: 'message', content: 'queued' });
    expect(log.slice(-2)).toEqual(['status:retry', 'reconnecting']);
    await flush(1_200);
    await expect(sent).resolves.toEqual({ uuid: 1 });
    expect(server.of('resume')).toEqual([expect.objectContaining({ resumeToken: 'rt', lastSeq: 1 })]);
    expect(server.of('group.join').map((m) => m.id)).toEqual([joinId, joinId]);
    expect(server.executions.get(joinId ?? -1)).toBe(1);
    expect(log.slice(-3)).toEqual(['status:connected', 'reconnection', 'message:7:while away']);
    expect(engine.groups).toEqual(['default', 'team']);
  });

  test('resume refused: registers again with the same id, groups and user data; contacts that vanished leave', async () => {
    server.idTicket = 'ticket-1000';
    const { engine, log } = await connected();
    engine.joinGroup('team');
    await flush();
    server.snapshot = { default: [{ id: '8', userData: {} }] };
    server.refuseResume = true;
    expect(engine.dropConnection()).toBe(true);
    await flush(1_200);
    const again = server.of('register')[1];
    // The ticket of the assigned id goes back with it, so that a key without chosen ids keeps it.
    expect(again).toMatchObject({ userId: '1000', idTicket: 'ticket-1000', groups: ['default', 'team'], subscribeTo: ['default'] });
    expect(server.of('register')[0]).not.toHaveProperty('idTicket');
    expect(log.slice(-3)).toEqual(['presence:{"joined":{"default":["8"]},"left":{"default":["7"]}}', 'status:connected', 'reconnection']);
    expect(engine.presence.isOnline('7')).toBe(false);
  });

  test('each resume uses the token the previous resume returned (the server rotates it)', async () => {
    const { engine, log } = await connected();
    for (let i = 0; i < 2; i++) {
      expect(engine.dropConnection()).toBe(true);
      await flush(1_200);
    }
    expect(server.of('resume').map((m) => m.resumeToken)).toEqual(['rt', 'rt2']);
    expect(server.of('register')).toHaveLength(1);
    expect(log.at(-1)).toBe('reconnection');
  });

  test('after a re-registration, a delivery sent on the lost session fails instead of being sent twice; one never sent goes out', async () => {
    const { engine } = await connected();
    server.loseAnswers = true;
    const lost = engine.request({ type: 'contact.send', to: '7', kind: 'message', content: 'maybe delivered' }).catch((e: unknown) => e);
    await flush();
    const lostId = server.of('contact.send')[0]?.id;
    expect(server.executions.get(lostId ?? -1)).toBe(1);
    server.refuseResume = true;
    server.current?.serverClose(1006);
    await flush();
    server.loseAnswers = false;
    const queued = engine.request({ type: 'contact.send', to: '7', kind: 'message', content: 'queued' });
    await flush(1_200);
    expect(server.of('register')).toHaveLength(2);
    expect(await lost).toMatchObject({ kind: 'closed', message: expect.stringContaining('may have been delivered') });
    await expect(queued).resolves.toEqual({ uuid: 2 });
    expect(server.of('contact.send').map((m) => m.content)).toEqual(['maybe delivered', 'queued']);
  });

  test('close codes 4001/4002/4006 end the session without reconnecting', async () => {
    for (const code of [4001, 4002, 4006]) {
      server = new FakeServer();
      const { log } = await connected();
      server.current?.serverClose(code);
      await flush(10_000);
      await flush(10_000);
      expect(log.slice(-2)).toEqual(['status:disconnected', expect.stringMatching(/^closed:closed by server/)]);
      expect(server.of('resume')).toEqual([]);
    }
  });

  test('ccsConnectionRetryNb: gives up after that many failed attempts', async () => {
    const { log } = await connected({ maxRetries: 2 });
    server.refuseConnections = true;
    server.current?.serverClose(1006);
    await flush();
    await flush(30_000);
    expect(log.filter((l) => l === 'reconnecting')).toHaveLength(2);
    expect(log.slice(-2)).toEqual(['status:disconnected', 'closed:reconnection attempts exhausted']);
  });

  test('a ping without answer within 10 s drops the socket and reconnects', async () => {
    const { log } = await connected();
    server.autoAnswer = false;
    await flush(20_000 + 10_000);
    expect(log).toContain('reconnecting');
    server.autoAnswer = true;
    await flush(2_000);
    expect(log.at(-1)).toBe('reconnection');
  });

  test('unregister sends unregister and closes voluntarily; requests then fail', async () => {
    const { engine, log } = await connected();
    const done = engine.unregister();
    await flush();
    await done;
    expect(server.of('unregister')).toHaveLength(1);
    expect(log.slice(-2)).toEqual(['status:disconnected', 'closed:voluntary']);
    await expect(engine.request({ type: 'ping' })).rejects.toMatchObject({ kind: 'closed' });
  });
});
