/**
 * `GET /metrics` during a real SFU call (issue 15 part 3): two Chromium participants publish and
 * subscribe through the server; the scrape before and after shows the peers, tracks and the
 * packet, byte and request counters moving.
 */
import { describe, expect, test } from 'vitest';
import { pollUntil, useE2E } from '../harness/index.js';
import { convUser, join, subscribe, waitDecoding, waitRemoteStream } from './helpers.js';

const env = useE2E('conversation-metrics');

/** `name{labels}` → value, from Prometheus exposition text. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(`${env.server.url}/metrics`);
  expect(res.status).toBe(200);
  return samples(await res.text());
}

describe('/metrics during a call', () => {
  test('peers, tracks, packets, bytes and request counts move while two participants call through the SFU', async () => {
    const before = await scrape();
    expect(before.get('parley_sfu_packets_in_total')).toBe(0);
    expect(before.get('parley_sfu_peers')).toBe(0);

    const a = await convUser(env, 'alice');
    const b = await convUser(env, 'bob');
    await join(a.user, 'metrics-room');
    await join(b.user, 'metrics-room');
    await a.user.page.evaluate(() => CONV.publishCamera());
    const stream = await waitRemoteStream(b.user);
    await subscribe(b.user, stream);
    await waitDecoding(b.user, 'bob receives alice');

    const during = await pollUntil(
      async () => {
        const now = await scrape();
        return (now.get('parley_sfu_packets_out_total') ?? 0) > 0 ? now : null;
      },
      { what: 'forwarded packets in /metrics' },
    );
    expect(during.get('parley_sessions')).toBeGreaterThanOrEqual(2);
    expect(during.get('parley_conversations')).toBeGreaterThanOrEqual(1);
    expect(during.get('parley_sfu_rooms')).toBe(1);
    expect(during.get('parley_sfu_peers')).toBe(2);
    // Camera and microphone published by alice, both forwarded to bob.
    expect(during.get('parley_sfu_published_tracks')).toBe(2);
    expect(during.get('parley_sfu_forwarded_tracks')).toBe(2);
    expect(during.get('parley_sfu_packets_in_total')).toBeGreaterThan(0);
    expect(during.get('parley_sfu_bytes_in_total')).toBeGreaterThan(0);
    expect(during.get('parley_sfu_bytes_out_total')).toBeGreaterThan(0);
    expect(during.get('parley_signalling_request_duration_seconds_count{type="conv.join",outcome="ok"}')).toBe(2);
    expect(during.get('parley_signalling_request_duration_seconds_count{type="media.publisherOffer",outcome="ok"}')).toBeGreaterThanOrEqual(1);

    // Counters keep rising while media flows.
    const later = await pollUntil(
      async () => {
        const now = await scrape();
        return (now.get('parley_sfu_packets_in_total') ?? 0) > (during.get('parley_sfu_packets_in_total') ?? 0) ? now : null;
      },
      { what: 'packets in rising' },
    );
    expect(later.get('parley_sfu_packets_out_total')).toBeGreaterThanOrEqual(during.get('parley_sfu_packets_out_total') ?? 0);

    // After both leave, the live gauges fall back and the totals stay.
    await a.user.page.evaluate(() => CONV.conv.leave());
    await b.user.page.evaluate(() => CONV.conv.leave());
    const after = await pollUntil(
      async () => {
        const now = await scrape();
        return now.get('parley_sfu_peers') === 0 ? now : null;
      },
      { what: 'SFU peers back to 0' },
    );
    expect(after.get('parley_sfu_forwarded_tracks')).toBe(0);
    expect(after.get('parley_sfu_packets_in_total')).toBeGreaterThanOrEqual(later.get('parley_sfu_packets_in_total') ?? 0);
  });
});
