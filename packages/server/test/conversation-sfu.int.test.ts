/**
 * SFU negotiation at the signalling level: a recorded Chromium offer plays the browser
 * publisher, a node-datachannel PeerConnection the browser subscriber. Media flow itself is
 * covered by the browser suites.
 */
import type { SfuStats } from '../src/conversation/MediaStats.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, dataOf, joinConversation, publish } from './helpers/conversation.js';
import { CAMERA, CAMERA_MSID, SubscriberPeers } from './helpers/SubscriberPeers.js';
import { TestClient } from './helpers/TestClient.js';
import { startTestServer, type TestServer } from './helpers/testServer.js';

interface Stats {
  sessions: number;
  conversations: number;
  sfu: SfuStats;
}

let server: TestServer;
const clients: TestClient[] = [];
const subscribers = new SubscriberPeers('sub');

async function user(userId: string): Promise<TestClient> {
  const { client } = await TestClient.registered(server.url, { userId });
  clients.push(client);
  return client;
}

async function stats(): Promise<Stats> {
  return (await (await fetch(`${server.url}/api/v1/stats`)).json()) as Stats;
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());
afterEach(async () => {
  subscribers.closeAll();
  for (const client of clients.splice(0)) {
    expect(client.violations).toEqual([]);
    await client.close();
  }
});

describe('SFU conversations', () => {
  it('answers the publisher offer and offers subscribed streams, also when subscribed before the tracks came', async () => {
    const alice = await user('s1-alice');
    const bob = await user('s1-bob');
    await joinConversation(alice, 's1');
    await joinConversation(bob, 's1');
    expect((await publish(alice, 's1', 100, CAMERA_MSID)).ok).toBe(true);
    // Subscribing before the publisher negotiated: no offer yet, media attaches when it arrives.
    expect((await bob.request({ type: 'conv.subscribe', conversation: 's1', streamId: 100 })).ok).toBe(true);

    const answer = await alice.request({ type: 'media.publisherOffer', conversation: 's1', sdp: CAMERA });
    expect(answer.ok).toBe(true);
    const sdp = dataOf<{ sdp: string }>(answer).sdp;
    expect(sdp).toMatch(/^v=0/);
    expect(sdp.match(/a=recvonly/g)).toHaveLength(2);
    expect(sdp).toMatch(/a=candidate:.* typ host/);

    const offer = await bob.nextEvent('media.subscriberOffer');
    expect(offer).toMatchObject({ conversation: 's1', streams: [{ streamId: 100, msid: CAMERA_MSID }] });
    expect(offer.sdp).toContain(`msid:${CAMERA_MSID}`);
    expect(offer.sdp.match(/a=sendonly/g)).toHaveLength(2);

    const bobAnswer = await subscribers.answer(offer.sdp);
    expect((await bob.request({ type: 'media.subscriberAnswer', conversation: 's1', sdp: bobAnswer })).ok).toBe(true);
    expect((await bob.request({ type: 'media.candidate', conversation: 's1', transport: 'subscriber', candidate: '' })).ok).toBe(true);
    expect(
      (
        await alice.request({
          type: 'media.candidate',
          conversation: 's1',
          transport: 'publisher',
          candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host',
          sdpMid: '0',
        })
      ).ok,
    ).toBe(true);

    const during = await stats();
    expect(during.sfu).toMatchObject({ rooms: 1, peers: 2, publishedTracks: 2, forwardedTracks: 2 });
    expect(during.conversations).toBeGreaterThanOrEqual(1);

    // Unpublishing ends the subscription and renegotiates the subscriber PC.
    expect((await alice.request({ type: 'conv.unpublish', conversation: 's1', streamId: 100 })).ok).toBe(true);
    expect(await bob.nextEvent('conv.subscriptionEnded')).toMatchObject({ streamId: 100, reason: 'unpublished' });
    const reoffer = await bob.nextEvent('media.subscriberOffer').catch((e: Error) => {
      throw new Error(`${e.message} violations=${JSON.stringify(bob.violations).slice(0, 300)}`);
    });
    expect(reoffer.streams).toEqual([]);
    expect((await stats()).sfu.forwardedTracks).toBe(0);

    // Leaving closes the media: the room goes when the conversation empties.
    await alice.request({ type: 'conv.leave', conversation: 's1' });
    await bob.request({ type: 'conv.leave', conversation: 's1' });
    expect((await stats()).sfu).toMatchObject({ rooms: 0, peers: 0 });
  });

  it('subscribing after the tracks arrived offers at once; refuses bad SDP (9) and answers without offer (16)', async () => {
    const alice = await user('s2-alice');
    const bob = await user('s2-bob');
    await joinConversation(alice, 's2');
    await joinConversation(bob, 's2');
    // The offer may come before the announcement: tracks attach when the stream is published.
    expect((await alice.request({ type: 'media.publisherOffer', conversation: 's2', sdp: CAMERA })).ok).toBe(true);
    expect((await publish(alice, 's2', 200, CAMERA_MSID)).ok).toBe(true);
    expect((await bob.request({ type: 'conv.subscribe', conversation: 's2', streamId: 200, audio: false, video: true })).ok).toBe(true);
    const offer = await bob.nextEvent('media.subscriberOffer');
    expect(offer.streams).toEqual([{ streamId: 200, msid: CAMERA_MSID }]);
    expect(offer.sdp.match(/a=sendonly/g)).toHaveLength(1);
    expect(offer.sdp).toMatch(/m=video/);

    expect(codeOf(await alice.request({ type: 'media.publisherOffer', conversation: 's2', sdp: 'not sdp' }))).toBe(9);
    expect(codeOf(await alice.request({ type: 'media.subscriberAnswer', conversation: 's2', sdp: 'v=0\r\n' }))).toBe(16);

    // The publisher's session ends: bob's subscription ends and he hears about it.
    expect((await alice.request({ type: 'unregister' })).ok).toBe(true);
    expect(await bob.nextEvent('conv.subscriptionEnded')).toMatchObject({ streamId: 200 });
    expect(await bob.nextEvent('conv.stream', (e) => e.change === 'removed')).toMatchObject({ stream: { streamId: 200 } });
    expect((await stats()).sfu.publishedTracks).toBe(0);
  });
});
