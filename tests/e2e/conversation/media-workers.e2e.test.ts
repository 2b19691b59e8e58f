import { describe, expect, test } from 'vitest';
import { pollUntil } from '../harness/wait.js';
import { useE2E, waitInPage, type User } from '../harness/index.js';
import { convUser, join, subscribe, waitDecoding, waitRemoteStream } from './helpers.js';

// Two media worker processes: each room lives whole on one of them.
const env = useE2E('conversation-media-workers', { env: { PARLEY_MEDIA_WORKERS: '2' } });

interface WorkerFigures {
  index: number;
  pid: number | null;
  ready: boolean;
  rooms: number;
  peers: number;
}

async function workers(): Promise<WorkerFigures[]> {
  const res = await fetch(`${env.server.url}/api/v1/stats`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { sfu: { workers?: WorkerFigures[] } };
  if (!body.sfu.workers) throw new Error('no media workers in the stats');
  return body.sfu.workers;
}

/** Two users in `room`, each publishing its camera and receiving the other's, video decoding. */
async function call(room: string, names: [string, string]): Promise<[User, User]> {
  const a = await convUser(env, names[0]);
  const b = await convUser(env, names[1]);
  await join(a.user, room);
  await join(b.user, room);
  await a.user.page.evaluate(() => CONV.publishCamera());
  await b.user.page.evaluate(() => CONV.publishCamera());
  await subscribe(b.user, await waitRemoteStream(b.user));
  await subscribe(a.user, await waitRemoteStream(a.user));
  await waitDecoding(a.user, `${names[0]} receives ${names[1]}`);
  await waitDecoding(b.user, `${names[1]} receives ${names[0]}`);
  return [a.user, b.user];
}

const count = (user: User, event: string): Promise<number> => user.page.evaluate((name: string) => E2E.of(name).length, event);

describe('media workers', () => {
  test('a media worker killed mid-call: its room recovers by itself (video decodes again), the room on the other worker is untouched', async () => {
    const [alice, bob] = await call('room-a', ['alice', 'bob']);
    // The first room went to worker 0 (both empty); the second to the least-loaded: worker 1.
    const [carol, dave] = await call('room-b', ['carol', 'dave']);
    const before = await workers();
    expect(before.map((w) => [w.rooms, w.peers])).toEqual([
      [1, 2],
      [1, 2],
    ]);
    const victim = before[0]?.pid;
    const survivor = before[1]?.pid;
    if (!victim || !survivor) throw new Error('media workers without pid');
    const untouchedRemovals = [await count(carol, 'streamRemoved'), await count(dave, 'streamRemoved')];

    process.kill(victim, 'SIGKILL');

    // The SDKs of room-a re-publish and re-subscribe by themselves (streamRemoved then
    // streamAdded for the same stream ids), on a room placed on a running worker.
    for (const user of [alice, bob]) {
      await waitInPage(user, 'subscription renewed after the worker loss', () => E2E.of('streamRemoved').length >= 1 && E2E.of('streamAdded').length >= 2);
    }
    await waitDecoding(alice, 'alice receives bob again');
    await waitDecoding(bob, 'bob receives alice again');

    // room-b kept its connections: no stream removed, video still decoding.
    await waitDecoding(carol, 'carol still receives dave');
    await waitDecoding(dave, 'dave still receives carol');
    expect([await count(carol, 'streamRemoved'), await count(dave, 'streamRemoved')]).toEqual(untouchedRemovals);

    // The slot got a new process; the surviving worker is the same process.
    const after = await pollUntil(
      async () => {
        const list = await workers();
        return list.every((w) => w.ready) ? list : undefined;
      },
      { what: 'worker 0 restarted', timeoutMs: 20_000 },
    );
    expect(after[0]?.pid).not.toBe(victim);
    expect(after[1]?.pid).toBe(survivor);
    expect(after.reduce((n, w) => n + w.rooms, 0)).toBe(2);
    expect(after.reduce((n, w) => n + w.peers, 0)).toBe(4);
  });
});
