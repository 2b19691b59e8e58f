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
  // Default cluster timings (heartbeat 1 s): what a deployment gets.
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

  test('killing the node of a conversation: its users reconnect to the other node, and everyone rejoins there by themselves', async () => {
    const a = await clusterUser(nodeA, 'carol-on-a');
    const b = await clusterUser(nodeB, 'dave-on-b');
    // The lookup named both nodes: that is where the SDK reconnects when its node is gone.
    const lookup = (await (await fetch(`${nodeA?.url ?? ''}/api/v1/lookup`)).json()) as { nodes?: string[] };
    expect(lookup.nodes).toEqual([nodeA?.url, nodeB?.url]);
    await join(a.user, 'failover-room');
    await join(b.user, 'failover-room');
    await a.user.page.evaluate(() => CONV.publishCamera());
    await b.user.page.evaluate(() => CONV.publishCamera());
    await subscribe(b.user, await waitRemoteStream(b.user));
    await subscribe(a.user, await waitRemoteStream(a.user));
    await waitDecoding(b.user, 'dave receives carol');
    // Placed on the node advertising fewer conversations; the previous test's conversation may
    // still count on node A until its next heartbeat, so either node may own this one.
    const ownerIsA = ((await stats(nodeA)) as { conversations: number }).conversations === 1;
    const [owner, survivor] = ownerIsA ? [nodeA, nodeB] : [nodeB, nodeA];
    expect(await stats(owner)).toMatchObject({ conversations: 1, cluster: { proxiedParticipants: 1 } });
    expect(await stats(survivor)).toMatchObject({ conversations: 0, cluster: { proxiedParticipants: 0 } });

    await owner?.crash();
    // The owner's user finds its node unreachable and goes to the survivor; the other user's
    // session is ended by the survivor (its conversation's node is gone). Both register again on
    // the survivor and rejoin: the conversation is placed again there, both sessions its own.
    await expect.poll(async () => stats(survivor), { timeout: 30_000, interval: 300 }).toMatchObject({ sessions: 2, conversations: 1, cluster: { peers: [] } });
    await waitInPage(a.user, 'carol joined again', () => CONV.conv.isJoined(), undefined, 30_000);
    await waitInPage(b.user, 'dave joined again', () => CONV.conv.isJoined(), undefined, 30_000);
    // Whoever rejoined first saw the other's stream leave and come back: like any apiRTC app on
    // streamListChanged 'added', subscribe to it (a subscription still alive is returned as is).
    await subscribe(a.user, await waitRemoteStream(a.user));
    await subscribe(b.user, await waitRemoteStream(b.user));
    await waitDecoding(b.user, 'dave receives carol after the failover');
    await waitDecoding(a.user, 'carol receives dave after the failover');
  });
});
