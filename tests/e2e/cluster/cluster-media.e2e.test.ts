import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { closeOpenUsers, launchBrowser, openSdkPage, startRedis, startServer, waitInPage, type RunningRedis, type RunningServer } from '../harness/index.js';
import { CONV_PAGE, join, subscribe, waitDecoding, waitRemoteStream } from '../conversation/helpers.js';

// Two Parley nodes sharing one redis-server: users connected to different nodes meet in one
// conversation (placed on one node, the other node's participant proxied) and see each other's video.
let redis: RunningRedis | undefined;
let nodeA: RunningServer | undefined;
let nodeB: RunningServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  redis = await startRedis();
  const cluster = (id: string): Record<string, string> => ({ PARLEY_REDIS_URL: (redis as RunningRedis).url, PARLEY_NODE_ID: id });
  nodeA = await startServer({ name: 'cluster-node-a', env: cluster('node-a') });
  nodeB = await startServer({ name: 'cluster-node-b', env: cluster('node-b') });
  browser = await launchBrowser();
});

afterEach(async () => {
  await closeOpenUsers();
});

afterAll(async () => {
  await closeOpenUsers({ all: true });
  await browser?.close().catch(() => undefined);
  await nodeA?.stop();
  await nodeB?.stop();
  await redis?.stop();
});

async function clusterUser(server: RunningServer | undefined, name: string): Promise<{ user: Awaited<ReturnType<typeof openSdkPage>>; id: string }> {
  if (!server || !browser) throw new Error('cluster not started');
  const user = await openSdkPage(browser, server.url, name);
  await user.page.evaluate(CONV_PAGE);
  const id = await user.page.evaluate(() => E2E.register());
  return { user, id };
}

/** `GET /api/v1/stats` of `server` (allowed from loopback without a token). */
async function stats(server: RunningServer | undefined): Promise<unknown> {
  const response = await fetch(`${server?.url ?? ''}/api/v1/stats`);
  expect(response.status).toBe(200);
  return response.json();
}

describe('a cluster of two nodes', () => {
  test('users on different nodes join one conversation and decode each other’s video', async () => {
    const a = await clusterUser(nodeA, 'alice-on-a');
    const b = await clusterUser(nodeB, 'bob-on-b');
    expect(await join(a.user, 'cluster-room')).toEqual({});
    expect(await join(b.user, 'cluster-room')).toEqual({});
    await waitInPage(a.user, 'contactJoined bob', (id: string) => E2E.of('contactJoined').some((e) => e.id === id), b.id);
    await waitInPage(b.user, 'contactJoined alice', (id: string) => E2E.of('contactJoined').some((e) => e.id === id), a.id);

    const pubA = await a.user.page.evaluate(() => CONV.publishCamera());
    const pubB = await b.user.page.evaluate(() => CONV.publishCamera());
    const fromA = await waitRemoteStream(b.user);
    const fromB = await waitRemoteStream(a.user);
    expect(fromA).toBe(pubA.streamId);
    expect(fromB).toBe(pubB.streamId);
    await subscribe(b.user, fromA);
    await subscribe(a.user, fromB);
    await waitDecoding(b.user, 'bob (node B) receives alice (node A)');
    await waitDecoding(a.user, 'alice (node A) receives bob (node B)');
    // One conversation, on node A (placed where its first participant was); bob is proxied from B.
    const [statsA, statsB] = await Promise.all([stats(nodeA), stats(nodeB)]);
    expect(statsA).toMatchObject({ conversations: 1, cluster: { node: 'node-a', peers: ['node-b'], proxiedParticipants: 1 } });
    expect(statsB).toMatchObject({ conversations: 0, cluster: { node: 'node-b', peers: ['node-a'], proxiedParticipants: 0 } });

    // Leaving from the proxied node reaches the owner: alice sees bob go.
    await b.user.page.evaluate(() => CONV.conv.leave());
    await waitInPage(a.user, 'contactLeft bob', (id: string) => E2E.of('contactLeft').some((e) => e.id === id), b.id);
  });
});
