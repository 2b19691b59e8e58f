/**
 * Resource limits of the media plane against a real server: a tiny UDP port range (more
 * subscribers than ports must be refused in JavaScript: past the range libdatachannel aborts the
 * process from C++), m-sections per offer, and transports that never connect. The browser side
 * is a recorded Chromium offer (publisher) and node-datachannel (subscriber), as in
 * conversation-sfu.int.test.ts; candidates are withheld so no connection is ever attempted.
 */
import { createSocket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, dataOf, joinConversation, publish } from './helpers/conversation.js';
import type { SfuStats } from '../src/conversation/MediaStats.js';
import { CAMERA, CAMERA_MSID, sfuStats, SubscriberPeers } from './helpers/SubscriberPeers.js';
import { TestClient } from './helpers/TestClient.js';
import { startTestServer, type TestServer } from './helpers/testServer.js';

const clients: TestClient[] = [];
const subscribers = new SubscriberPeers('limits-sub');

async function user(server: TestServer, userId: string): Promise<TestClient> {
  const { client } = await TestClient.registered(server.url, { userId });
  clients.push(client);
  return client;
}

/** Polls the stats until `accept` holds (no fixed sleep: the machine may be slow). */
async function statsUntil(server: TestServer, accept: (s: SfuStats) => boolean): Promise<SfuStats> {
  for (;;) {
    const s = await sfuStats(server);
    if (accept(s)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A random small range above Linux's ephemeral ports (32768–60999 by default): a socket another
 * test binds to an ephemeral port must not land in it, since a subscriber connection that cannot
 * gather aborts the process (the very thing the capacity check prevents for ports it counts).
 */
function tinyRange(size: number): { portMin: number; portMax: number } {
  const portMin = 61000 + Math.floor(Math.random() * 4000);
  return { portMin, portMax: portMin + size - 1 };
}

/** An offer with `count` minimal sendonly VP8 sections (fits in the 64 KiB SDP limit). */
function manySections(count: number): string {
  const head = [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    `a=group:BUNDLE ${Array.from({ length: count }, (_, i) => i).join(' ')}`,
    'a=ice-ufrag:s0o7',
    'a=ice-pwd:OtqAXwJbL2Ylzn2dVRs0pFK4',
    'a=fingerprint:sha-256 98:16:88:74:04:5E:99:4B:A9:57:73:D0:01:25:29:79:53:D9:13:07:65:49:39:D7:EA:2E:EB:E2:C2:DC:7E:3A',
    'a=setup:actpass',
  ];
  const sections = Array.from({ length: count }, (_, i) => [
    `m=video 9 UDP/TLS/RTP/SAVPF 96`,
    'c=IN IP4 0.0.0.0',
    `a=mid:${i}`,
    'a=sendonly',
    'a=rtcp-mux',
    'a=rtpmap:96 VP8/90000',
    `a=ssrc:${1000 + i} cname:x`,
  ]);
  return [...head, ...sections.flat(), ''].join('\r\n');
}

afterEach(async () => {
  subscribers.closeAll();
  for (const client of clients.splice(0)) {
    expect(client.violations).toEqual([]);
    await client.close();
  }
});

describe('a media port range smaller than the demand', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ media: tinyRange(3) });
  });
  afterAll(() => server.stop());

  it('refuses the connections past the range with "not enough bandwidth"; the first ones keep working, the server stays up', async () => {
    const [alice, bob, carol, dave, erin] = await Promise.all(['alice', 'bob', 'carol', 'dave', 'erin'].map((id) => user(server, `ports-${id}`)));
    for (const c of [alice, bob, carol, dave, erin]) await joinConversation(c!, 'ports');
    expect((await publish(alice!, 'ports', 100, CAMERA_MSID)).ok).toBe(true);
    // Port 1 of 3: the publisher connection.
    expect((await alice!.request({ type: 'media.publisherOffer', conversation: 'ports', sdp: CAMERA })).ok).toBe(true);
    // Ports 2 and 3: two subscriber connections.
    expect((await bob!.request({ type: 'conv.subscribe', conversation: 'ports', streamId: 100 })).ok).toBe(true);
    expect((await carol!.request({ type: 'conv.subscribe', conversation: 'ports', streamId: 100 })).ok).toBe(true);
    // No port left: refused before any native call (at 9bf4270 the process aborted here).
    const refused = await dave!.request({ type: 'conv.subscribe', conversation: 'ports', streamId: 100 });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatchObject({ code: 0, message: expect.stringMatching(/^not enough bandwidth/) });
    const refusedOffer = await erin!.request({ type: 'media.publisherOffer', conversation: 'ports', sdp: CAMERA });
    expect(!refusedOffer.ok && refusedOffer.error).toMatchObject({ code: 0, message: expect.stringMatching(/^not enough bandwidth/) });

    // The first subscribers negotiate normally.
    for (const c of [bob!, carol!]) {
      const offer = await c.nextEvent('media.subscriberOffer');
      expect(offer.streams).toEqual([{ streamId: 100, msid: CAMERA_MSID }]);
      expect((await c.request({ type: 'media.subscriberAnswer', conversation: 'ports', sdp: await subscribers.answer(offer.sdp) })).ok).toBe(true);
    }
    expect(await sfuStats(server)).toMatchObject({ publishedTracks: 2, forwardedTracks: 4, connections: 3, connectionsRefused: 2 });

    // A leaver gives its port back: the refused subscriber now gets in.
    expect((await bob!.request({ type: 'conv.leave', conversation: 'ports' })).ok).toBe(true);
    expect((await accepted(() => dave!.request({ type: 'conv.subscribe', conversation: 'ports', streamId: 100 }))).ok).toBe(true);
    const offer = await dave!.nextEvent('media.subscriberOffer');
    expect((await dave!.request({ type: 'media.subscriberAnswer', conversation: 'ports', sdp: await subscribers.answer(offer.sdp) })).ok).toBe(true);
    const after = await sfuStats(server);
    expect(after).toMatchObject({ connections: 3 });
    // Tries refused while bob's socket was still closing count as refusals too.
    expect(after.connectionsRefused).toBeGreaterThanOrEqual(2);
  });
});

describe('a port of the range held by another process', () => {
  let server: TestServer;
  const range = tinyRange(1);
  const squatter = createSocket({ type: 'udp6' });
  beforeAll(async () => {
    await new Promise<void>((resolve) => squatter.bind(range.portMin, '::', resolve));
    server = await startTestServer({ media: range });
  });
  afterAll(async () => {
    squatter.close();
    await server.stop();
  });

  it('fails the publisher offer with "not enough bandwidth", not as a bad SDP', async () => {
    const alice = await user(server, 'squat-alice');
    await joinConversation(alice, 'squat');
    const answer = await alice.request({ type: 'media.publisherOffer', conversation: 'squat', sdp: CAMERA });
    expect(!answer.ok && answer.error).toMatchObject({ code: 0, message: expect.stringMatching(/^not enough bandwidth/) });
  });
});

describe('publisher offers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('refuses a publisher offer with more m-sections than allowed (code 9) before creating anything', async () => {
    const mallory = await user(server, 'sections-mallory');
    await joinConversation(mallory, 'sections');
    const before = (await sfuStats(server)).publishedTracks;
    const flood = manySections(420);
    expect(flood.length).toBeLessThan(64 * 1024);
    const answer = await mallory.request({ type: 'media.publisherOffer', conversation: 'sections', sdp: flood });
    expect(codeOf(answer)).toBe(9);
    expect(!answer.ok && answer.error.message).toMatch(/420 m-sections/);
    expect((await sfuStats(server)).publishedTracks).toBe(before);
    // Within the limit the same kind of offer is fine.
    expect((await mallory.request({ type: 'media.publisherOffer', conversation: 'sections', sdp: manySections(2) })).ok).toBe(true);
  });
});

describe('a media connection that never connects', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Two ports: unless failed connections give theirs back, nothing can be negotiated again.
    server = await startTestServer({ media: { ...tinyRange(2), transportTimeoutMs: 300 } });
  });
  afterAll(() => server.stop());

  it('is closed after transportTimeoutMs, the subscriber is told, and both can negotiate again on fresh connections', async () => {
    const alice = await user(server, 'ice-alice');
    const bob = await user(server, 'ice-bob');
    await joinConversation(alice, 'ice');
    await joinConversation(bob, 'ice');
    expect((await publish(alice, 'ice', 100, CAMERA_MSID)).ok).toBe(true);
    const first = dataOf<{ sdp: string }>(await alice.request({ type: 'media.publisherOffer', conversation: 'ice', sdp: CAMERA })).sdp;
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'ice', streamId: 100 })).ok).toBe(true);
    const offer = await bob.nextEvent('media.subscriberOffer');
    expect((await bob.request({ type: 'media.subscriberAnswer', conversation: 'ice', sdp: await subscribers.answer(offer.sdp) })).ok).toBe(true);

    // No candidates ever reach either side: both server connections time out and close.
    expect(await bob.nextEvent('conv.subscriptionEnded')).toMatchObject({ streamId: 100, reason: 'mediaFailed' });
    await statsUntil(server, (s) => s.publishedTracks === 0 && s.forwardedTracks === 0);

    // Their ports came back: a new publisher connection (new ICE credentials) and a new subscription.
    const second = dataOf<{ sdp: string }>(await accepted(() => alice.request({ type: 'media.publisherOffer', conversation: 'ice', sdp: CAMERA }))).sdp;
    expect(iceUfrag(second)).not.toBe(iceUfrag(first));
    expect((await accepted(() => bob.request({ type: 'conv.subscribe', conversation: 'ice', streamId: 100 }))).ok).toBe(true);
    // (An offer turning the ended mids inactive may have gone out before the subscriber connection failed.)
    const again = await bob.nextEvent('media.subscriberOffer', (e) => e.streams.length > 0);
    expect(again.streams).toEqual([{ streamId: 100, msid: CAMERA_MSID }]);
    expect(iceUfrag(again.sdp)).not.toBe(iceUfrag(offer.sdp));
  });
});

/**
 * Repeats `request` while it is refused for want of a port: libdatachannel closes a connection's
 * socket on its own thread shortly after close(), and the server counts the port as taken until
 * the socket is really gone (see MediaCapacity). Gives up after 50 tries, 100 ms apart.
 */
async function accepted<A extends { ok: boolean; error?: { message: string } }>(request: () => Promise<A>): Promise<A> {
  for (let tries = 1; ; tries++) {
    const answer = await request();
    if (answer.ok || tries >= 50 || !/^not enough bandwidth: no free media port/.test(answer.error?.message ?? '')) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function iceUfrag(sdp: string): string | undefined {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
}
