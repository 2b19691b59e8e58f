import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage } from '../harness/index.js';
import { convUser, join, subscribe, waitDecoding, waitRemoteStream } from './helpers.js';

const env = useE2E('conversation-mesh');

interface Stats {
  sfu?: { peers: number; packetsIn: number; packetsOut: number };
}

async function serverStats(): Promise<Stats> {
  const res = await fetch(`${env.server.url}/api/v1/stats`);
  return (await res.json()) as Stats;
}

describe('mesh conversations', () => {
  test('two participants in mesh: {mode:"mesh"}, media flows peer to peer (the SFU sees no peer and no packet)', async () => {
    const a = await convUser(env, 'alice');
    const b = await convUser(env, 'bob');
    expect(await join(a.user, 'mesh-1', { meshModeEnabled: true })).toEqual({ mode: 'mesh' });
    expect(await join(b.user, 'mesh-1', { meshModeEnabled: true })).toEqual({ mode: 'mesh' });
    const pubA = await a.user.page.evaluate(() => CONV.publishCamera());
    const pubB = await b.user.page.evaluate(() => CONV.publishCamera());
    const fromA = await waitRemoteStream(b.user);
    const fromB = await waitRemoteStream(a.user);
    expect([fromA, fromB]).toEqual([pubA.streamId, pubB.streamId]);
    await subscribe(b.user, fromA);
    await subscribe(a.user, fromB);
    await waitDecoding(b.user, 'bob receives alice in mesh');
    await waitDecoding(a.user, 'alice receives bob in mesh');
    await b.user.page.evaluate((i: number) => CONV.show(i), fromA);
    await waitInPage(b.user, '<video> has a size', (i: number) => CONV.videoWidth(i) > 0, fromA);
    const stats = await serverStats();
    expect(stats.sfu).toMatchObject({ peers: 0, packetsIn: 0, packetsOut: 0 });

    await b.user.page.evaluate((i: number) => CONV.conv.unsubscribeToStream(i), fromA);
    expect(await b.user.page.evaluate((i: number) => E2E.of('streamRemoved').some((e) => e.streamId === i), fromA)).toBe(true);
    await a.user.page.evaluate(() => CONV.conv.unpublish(CONV.local.camera));
    await waitInPage(
      a.user,
      'alice: bob keeps receiving nothing from alice; own stream removed',
      (i: number) => E2E.of('streamListChanged').some((e) => e.streamId === i && e.listEventType === 'removed'),
      pubA.streamId,
    );
  });

  test('a fifth participant moves the room to SFU: roomModeChanged ongoing → complete, subscriptions renewed (same streamId), video decodes before and after', async () => {
    const users = [];
    for (const name of ['p1', 'p2', 'p3', 'p4']) {
      const u = await convUser(env, name);
      expect(await join(u.user, 'mesh-5', { meshModeEnabled: true })).toEqual({ mode: 'mesh' });
      users.push(u);
    }
    const [p1, p2] = users;
    if (!p1 || !p2) throw new Error('users missing');
    const pub = await p2.user.page.evaluate(() => CONV.publishCamera());
    const id = await waitRemoteStream(p1.user);
    expect(id).toBe(pub.streamId);
    await subscribe(p1.user, id);
    await waitDecoding(p1.user, 'p1 receives p2 in mesh');

    const p5 = await convUser(env, 'p5');
    // The server switches the room while admitting the fifth participant, who joins it in SFU.
    expect(await join(p5.user, 'mesh-5', { meshModeEnabled: true })).toEqual({});
    for (const u of users) {
      await waitInPage(u.user, 'roomModeChanged complete', () => E2E.of('roomModeChanged').some((e) => e.payload.state === 'complete'), undefined, 30_000);
    }
    const modes = await p1.user.page.evaluate(() => E2E.of('roomModeChanged').map((e) => e.payload));
    expect(modes).toEqual([
      { oldMode: 'mesh', newMode: 'sfu', state: 'ongoing' },
      { oldMode: 'mesh', newMode: 'sfu', state: 'complete' },
    ]);
    const renewal = await p1.user.page.evaluate(
      (i: number) => ({
        removed: E2E.of('streamRemoved').filter((e) => e.streamId === i).length,
        added: E2E.of('streamAdded').filter((e) => e.streamId === i).length,
        listRemoved: E2E.of('streamListChanged').filter((e) => e.listEventType === 'removed').length,
        mode: CONV.conv.getMode(),
      }),
      id,
    );
    expect(renewal).toEqual({ removed: 1, added: 2, listRemoved: 0, mode: 'sfu' });
    await waitDecoding(p1.user, 'p1 receives p2 through the SFU');
    const stats = await serverStats();
    expect(stats.sfu?.peers).toBeGreaterThan(0);
    expect(stats.sfu?.packetsIn).toBeGreaterThan(0);
  });
});
