import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage, type User } from '../harness/index.js';
import { convUser, join, subscribe, waitDecoding, waitRemoteStream } from './helpers.js';

const env = useE2E('conversation-simulcast');

/** Width of the video the page decodes now (inbound-rtp frameWidth), 0 before any frame. */
function frameWidth(user: User): Promise<number> {
  return user.page.evaluate(async () => {
    let width = 0;
    for (const pc of Parley.debug.peerConnections()) {
      const stats = await pc.getStats();
      stats.forEach((r: { type: string; kind?: string; frameWidth?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video' && r.frameWidth) width = r.frameWidth;
      });
    }
    return width;
  });
}

function waitWidth(user: User, what: string, test: 'atMost' | 'equal', width: number, timeoutMs: number): Promise<void> {
  return waitInPage(
    user,
    what,
    async ([kind, w]: readonly [string, number]) => {
      let width = 0;
      for (const pc of Parley.debug.peerConnections()) {
        const stats = await pc.getStats();
        stats.forEach((r: { type: string; kind?: string; frameWidth?: number }) => {
          if (r.type === 'inbound-rtp' && r.kind === 'video' && r.frameWidth) width = r.frameWidth;
        });
      }
      return kind === 'atMost' ? width > 0 && width <= w : width === w;
    },
    [test, width] as const,
    timeoutMs,
  );
}

describe('simulcast through the SFU', () => {
  test('a simulcast publisher, two subscribers: one asks for the low layer and gets a smaller picture, the other keeps the top; asking high again brings it back', async () => {
    const a = await convUser(env, 'alice');
    const b = await convUser(env, 'bob');
    const c = await convUser(env, 'carol');
    for (const u of [a, b, c]) await join(u.user, 'room-simulcast');
    for (const u of [b, c]) {
      await u.user.page.evaluate(() => CONV.conv.on('simulcastFeedChanged', (e: object) => E2E.record('simulcastFeedChanged', e)));
    }

    const published = await a.user.page.evaluate(async () => {
      const s = await E2E.ua.createStream({ constraints: { audio: true, video: { width: 640, height: 480 } } });
      CONV.local.camera = s;
      await CONV.conv.publish(s, { simulcast: true });
      return s.streamId as number;
    });
    // Three video encodings leave the publisher (one m-section each), with three sizes.
    await waitInPage(
      a.user,
      'three outbound video encodings with frames',
      async () => {
        const widths = new Set<number>();
        for (const pc of Parley.debug.peerConnections()) {
          const stats = await pc.getStats();
          stats.forEach((r: { type: string; kind?: string; frameWidth?: number }) => {
            if (r.type === 'outbound-rtp' && r.kind === 'video' && r.frameWidth) widths.add(r.frameWidth);
          });
        }
        return widths.size === 3;
      },
      undefined,
      30_000,
    );

    const idAtB = await waitRemoteStream(b.user);
    const idAtC = await waitRemoteStream(c.user);
    expect(idAtB).toBe(published);
    expect(idAtC).toBe(published);
    await subscribe(b.user, published);
    await subscribe(c.user, published);
    await waitDecoding(b.user, 'bob decodes');
    await waitDecoding(c.user, 'carol decodes');

    // Bob shows a small tile: he asks for the low layer.
    const asked = await b.user.page.evaluate(
      (id: number) => CONV.conv.updateSubscribedStream(id, { simulcast: { streamQuality: 'low' } }).then(() => 'ok', CONV.err),
      published,
    );
    expect(asked).toBe('ok');
    await waitWidth(b.user, 'bob decodes the low layer (≤ 160 px wide)', 'atMost', 160, 30_000);
    await waitInPage(
      b.user,
      'simulcastFeedChanged low',
      (id: number) => E2E.of('simulcastFeedChanged').some((e) => e.streamId === id && e.simulcast?.streamQuality === 'low'),
      published,
    );
    await waitDecoding(b.user, 'bob keeps decoding after the switch');
    // Carol asked nothing: the top layer, full width (the estimate may start low, so allow for upgrades).
    await waitWidth(c.user, 'carol decodes the top layer (640 px)', 'equal', 640, 90_000);
    expect(await frameWidth(b.user)).toBeLessThanOrEqual(160);

    // Bob enlarges the tile: back to the top layer.
    await b.user.page.evaluate((id: number) => CONV.conv.updateSubscribedStream(id, { simulcast: { streamQuality: 'high' } }), published);
    await waitWidth(b.user, 'bob back on a larger layer', 'equal', 640, 90_000);
    await waitDecoding(b.user, 'bob decodes after switching up');
    // An unknown stream is refused.
    const refused = await b.user.page.evaluate(() =>
      CONV.conv.updateSubscribedStream(987654, { simulcast: { streamQuality: 'low' } }).then(() => 'ok', CONV.err),
    );
    expect(refused).not.toBe('ok');

    // Unpublishing ends the three encodings together: both subscribers see the stream go.
    await a.user.page.evaluate(() => CONV.conv.unpublish(CONV.local.camera));
    for (const u of [b, c]) {
      await waitInPage(u.user, 'streamRemoved after unpublish', (id: number) => E2E.of('streamRemoved').some((e) => e.streamId === id), published);
    }
  });
});
