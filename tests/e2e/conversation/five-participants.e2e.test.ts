import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage, type User } from '../harness/index.js';
import { convUser, join, subscribe, waitRemoteStreams } from './helpers.js';

const env = useE2E('conversation-five');

/** Per received track: how many audio tracks got packets and how many video tracks decoded. */
function receivedTracks(user: User): Promise<{ audio: number; video: number }> {
  return user.page.evaluate(async () => {
    let audio = 0;
    let video = 0;
    for (const pc of Parley.debug.peerConnections()) {
      const stats = await pc.getStats();
      stats.forEach((r: { type: string; kind?: string; packetsReceived?: number; framesDecoded?: number }) => {
        if (r.type !== 'inbound-rtp') return;
        if (r.kind === 'audio' && (r.packetsReceived ?? 0) > 0) audio += 1;
        if (r.kind === 'video' && (r.framesDecoded ?? 0) > 0) video += 1;
      });
    }
    return { audio, video };
  });
}

describe('five participants in one SFU conversation', () => {
  test('everyone publishes camera+mic and subscribes to the other four: every video decodes and every audio track receives packets', async () => {
    const users: { user: User; id: string }[] = [];
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) {
      const u = await convUser(env, name);
      expect(await join(u.user, 'five')).toEqual({});
      users.push(u);
    }
    const published: number[] = [];
    for (const u of users) {
      const pub = await u.user.page.evaluate(() => CONV.publishCamera());
      published.push(pub.streamId);
    }

    for (const [index, u] of users.entries()) {
      const ids = await waitRemoteStreams(u.user, 4);
      // Exactly the other four publications, never the participant's own.
      expect([...ids].sort()).toEqual(published.filter((_, i) => i !== index).sort());
      for (const id of ids) {
        await subscribe(u.user, id);
        await u.user.page.evaluate((i: number) => CONV.show(i), id);
      }
    }

    for (const u of users) {
      await waitInPage(
        u.user,
        'four remote <video> elements with frames',
        () => [...document.querySelectorAll<HTMLVideoElement>('#remotes video')].filter((v) => v.videoWidth > 0).length === 4,
        undefined,
        60_000,
      );
      await expect.poll(() => receivedTracks(u.user), { timeout: 60_000, interval: 500 }).toEqual({ audio: 4, video: 4 });
    }

    const stats = (await (await fetch(`${env.server.url}/api/v1/stats`)).json()) as { sfu: { publishedTracks: number; forwardedTracks: number } };
    // 5 publishers × (audio + video) in, 5 × 4 subscriptions × 2 tracks out.
    expect(stats.sfu.publishedTracks).toBe(10);
    expect(stats.sfu.forwardedTracks).toBe(40);
  });
});
