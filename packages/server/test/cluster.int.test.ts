import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { joinConversation } from './helpers/conversation.js';
import { tokenFor } from './helpers/tokens.js';
import { transpileServer } from './helpers/transpileServer.js';
import { type RegisterOptions, TestClient } from './helpers/TestClient.js';
import { startTestRedis, type TestRedis } from './helpers/redisServer.js';
import { startTestServer, type TestServer } from './helpers/testServer.js';

// Two Parley nodes sharing one real redis-server: presence, contact events, peer signals and user
// ids across nodes, and a node that dies.
let redis: TestRedis;
let a: TestServer;
let b: TestServer;
const clients: TestClient[] = [];

const node = (redisUrl: string, nodeId: string): Promise<TestServer> =>
  startTestServer({ cluster: { redis: redisUrl, nodeId, heartbeatMs: 200, missedHeartbeats: 3 } });

async function user(server: TestServer, userId: string, options: RegisterOptions = {}): Promise<TestClient> {
  const { client } = await TestClient.registered(server.url, { userId, ...options });
  clients.push(client);
  return client;
}

// The node killed in the last test runs as a child process (SIGKILL: no goodbye, no cleanup).
const serverRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const buildDir = join(serverRoot, '.test-build-cluster');

beforeAll(async () => {
  await transpileServer(serverRoot, buildDir);
  await writeFile(
    join(buildDir, 'node.js'),
    `import { startServer } from './server.js';
const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: process.env.DATA_DIR, logLevel: 'silent',
  cluster: { redis: process.env.REDIS_URL, nodeId: 'node-c', heartbeatMs: 200, missedHeartbeats: 3 } });
console.log(JSON.stringify({ url: server.url }));
`,
  );
  redis = await startTestRedis();
  a = await node(redis.url, 'node-a');
  b = await node(redis.url, 'node-b');
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
  await rm(buildDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const client of clients.splice(0)) {
    expect(client.violations).toEqual([]);
    await client.close();
  }
});

describe('cluster of two nodes', () => {
  it('shows users of the other node joining, changing user data and leaving a group', async () => {
    const alice = await user(a, 'k1-alice', { groups: ['lobby'], userData: { nickname: 'Alice' } });
    expect(await alice.nextEvent('presence')).toMatchObject({ joinedGroup: { lobby: [] } });
    // Bob, on the other node, gets Alice in his snapshot, and Alice sees Bob join.
    const bob = await user(b, 'k1-bob', { groups: ['lobby'] });
    expect(await bob.nextEvent('presence')).toMatchObject({ joinedGroup: { lobby: [{ id: 'k1-alice', userData: { nickname: 'Alice' } }] } });
    expect(await alice.nextEvent('presence')).toMatchObject({ joinedGroup: { lobby: [{ id: 'k1-bob', userData: {} }] }, leftGroup: {} });

    expect((await bob.request({ type: 'userData.set', userData: { status: 'busy' } })).ok).toBe(true);
    expect(await alice.nextEvent('presence')).toMatchObject({ userDataChanged: [{ id: 'k1-bob', userData: { status: 'busy' } }] });

    expect((await bob.request({ type: 'group.leave', group: 'lobby' })).ok).toBe(true);
    expect(await alice.nextEvent('presence')).toMatchObject({ joinedGroup: {}, leftGroup: { lobby: ['k1-bob'] } });

    // A subscriber on node B that only watches sees Alice (node A) leave when she unregisters.
    const watcher = await user(b, 'k1-watcher', { subscribeTo: ['lobby'] });
    expect(await watcher.nextEvent('presence')).toMatchObject({ joinedGroup: { lobby: [{ id: 'k1-alice' }] } });
    expect((await alice.request({ type: 'unregister' })).ok).toBe(true);
    expect(await watcher.nextEvent('presence')).toMatchObject({ leftGroup: { lobby: ['k1-alice'] } });
  });

  it('delivers contact data, messages and custom events to a user of the other node', async () => {
    const alice = await user(a, 'k2-alice');
    const bob = await user(b, 'k2-bob');
    const data = await alice.request({ type: 'contact.send', to: 'k2-bob', kind: 'data', content: { n: [1, 2] } });
    expect(data).toMatchObject({ ok: true, data: { uuid: expect.any(Number) } });
    expect(await bob.nextEvent('contact.data')).toMatchObject({ from: 'k2-alice', content: { n: [1, 2] } });

    const message = await bob.request({ type: 'contact.send', to: 'k2-alice', kind: 'message', content: 'hello from B' });
    expect(message.ok).toBe(true);
    const uuid = (message as { data: { uuid: number } }).data.uuid;
    expect(await alice.nextEvent('contact.message')).toMatchObject({ from: 'k2-bob', content: 'hello from B', uuid });

    expect((await alice.request({ type: 'contact.send', to: 'k2-bob', kind: 'customEvent', event: 'wave', content: { hand: 'left' } })).ok).toBe(true);
    expect(await bob.nextEvent('contact.customEvent')).toMatchObject({ from: 'k2-alice', event: 'wave', content: { hand: 'left' } });

    // Nobody on either node: code 8, as on one node.
    expect(await alice.request({ type: 'contact.send', to: 'k2-nobody', kind: 'data', content: 1 })).toMatchObject({ ok: false, error: { code: 8 } });
  });

  it('relays 1-1 call signalling to a user of the other node', async () => {
    const alice = await user(a, 'k3-alice');
    const bob = await user(b, 'k3-bob');
    const invite = { kind: 'invite', what: 'file', file: { name: 'a.bin', type: 'application/octet-stream', size: 42 } } as const;
    expect(await alice.request({ type: 'peer.signal', to: 'k3-bob', session: '123456', payload: invite })).toMatchObject({ ok: true });
    expect(await bob.nextEvent('peer.signal')).toMatchObject({ from: 'k3-alice', session: '123456', payload: invite });
    expect(
      await bob.request({ type: 'peer.signal', to: 'k3-alice', session: '123456', payload: { kind: 'decline', reason: 'User_Refused_Call' } }),
    ).toMatchObject({
      ok: true,
    });
    expect(await alice.nextEvent('peer.signal')).toMatchObject({ from: 'k3-bob', payload: { kind: 'decline' } });
  });

  it('keeps a user id unique across nodes while its session lives, and frees it after', async () => {
    const first = await user(a, 'k4-same');
    const second = await TestClient.connect(b.url);
    clients.push(second);
    expect(await second.register({ userId: 'k4-same' })).toMatchObject({ ok: false, error: { code: 5, message: 'id k4-same is already in use' } });
    // Unregistering ends the session and releases the id at once (a dropped socket would keep it for the resume window).
    expect((await first.request({ type: 'unregister' })).ok).toBe(true);
    const third = await TestClient.connect(b.url);
    clients.push(third);
    expect((await third.register({ userId: 'k4-same' })).ok).toBe(true);
  });

  it('shares API keys (a token verifies on every node) and moves an identified user to the node it registers on last', async () => {
    const key = a.apiKeys.create({ label: 'cluster' });
    // Within a heartbeat node B has the key, with node A's secret.
    await expect.poll(() => b.apiKeys.get(key.key)?.secret, { timeout: 5_000, interval: 100 }).toBe(key.secret);
    const first = await TestClient.connect(a.url);
    clients.push(first);
    expect(await first.register({ apiKey: key.key, userId: 'k7-ida', token: await tokenFor(key, { user: 'k7-ida' }) })).toMatchObject({ ok: true });
    const second = await TestClient.connect(b.url);
    clients.push(second);
    expect(await second.register({ apiKey: key.key, userId: 'k7-ida', token: await tokenFor(key, { user: 'k7-ida' }) })).toMatchObject({ ok: true });
    // The older session, on the other node, is replaced (4001) as on one node.
    expect(await first.closed).toMatchObject({ code: 4001 });
  });

  it('runs a conversation on one node for participants of both, by proxy', async () => {
    const alice = await user(a, 'k6-alice');
    const bob = await user(b, 'k6-bob');
    // Placed on node A (the least loaded, and the first joiner's own node on a tie), joined from B.
    await joinConversation(alice, 'k6-room');
    await joinConversation(bob, 'k6-room');
    expect(a.stats().conversations).toBe(1);
    expect(b.stats().conversations).toBe(0);
    expect(a.cluster?.conversations.proxiedParticipants).toBe(1);
    // Membership both ways, through the owner's conversation group.
    const joinedIds = (e: { joinedConversation?: Record<string, { id: string }[]> }): string[] => (e.joinedConversation?.['k6-room'] ?? []).map((c) => c.id);
    await alice.nextEvent('presence', (e) => joinedIds(e).includes('k6-bob'));
    await bob.nextEvent('presence', (e) => joinedIds(e).includes('k6-alice'));
    // Messages both ways: Bob's request is forwarded to A, Alice's event to Bob comes back through B.
    expect((await bob.request({ type: 'conv.message', conversation: 'k6-room', content: 'from B' })).ok).toBe(true);
    expect(await alice.nextEvent('conv.message')).toMatchObject({ from: 'k6-bob', content: 'from B' });
    expect((await alice.request({ type: 'conv.message', conversation: 'k6-room', content: 'from A' })).ok).toBe(true);
    expect(await bob.nextEvent('conv.message')).toMatchObject({ from: 'k6-alice', content: 'from A' });
    // Errors of the owner come back as they are.
    expect(await bob.request({ type: 'conv.message', conversation: 'k6-elsewhere', content: 'x' })).toMatchObject({ ok: false });
    // Bob's session ends: the owner's stand-in leaves, Alice sees it.
    expect((await bob.request({ type: 'unregister' })).ok).toBe(true);
    await alice.nextEvent('presence', (e) => (e.leftConversation?.['k6-room'] ?? []).includes('k6-bob'));
    expect(a.cluster?.conversations.proxiedParticipants).toBe(0);
  });

  it('drops the users of a node that dies: its ids are free and others see them leave', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-node-c-'));
    const child = spawn(process.execPath, [join(buildDir, 'node.js')], { env: { ...process.env, DATA_DIR: dataDir, REDIS_URL: redis.url } });
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const { url } = JSON.parse(line.toString()) as { url: string };
      const watcher = await user(a, 'k5-watcher', { subscribeTo: ['hall'] });
      expect(await watcher.nextEvent('presence')).toMatchObject({ joinedGroup: { hall: [] } });
      const doomed = await TestClient.registered(url, { userId: 'k5-doomed', groups: ['hall'] });
      expect(await watcher.nextEvent('presence')).toMatchObject({ joinedGroup: { hall: [{ id: 'k5-doomed' }] } });
      // Node C is killed: no goodbye; the others notice the missed heartbeats.
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(await watcher.nextEvent('presence', undefined, 10_000)).toMatchObject({ leftGroup: { hall: ['k5-doomed'] } });
      expect(await doomed.client.closed).toMatchObject({ code: expect.any(Number) });
      // Its user id is free for a registration on node B.
      const again = await TestClient.connect(b.url);
      clients.push(again);
      expect((await again.register({ userId: 'k5-doomed', groups: ['hall'] })).ok).toBe(true);
      expect(await watcher.nextEvent('presence')).toMatchObject({ joinedGroup: { hall: [{ id: 'k5-doomed' }] } });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
