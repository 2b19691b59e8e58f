/**
 * The SFU media plane forwards real Chromium media: an in-process Sfu, headless Chromium pages
 * as participants, SDP and candidates shuttled with page.evaluate / exposeFunction (no Parley
 * signalling involved).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import nodeDataChannel from 'node-datachannel';
import { Sfu, type Peer, type PublishedTrack, type Room } from '@parley/server/media';
import { CHROMIUM_ARGS } from '../harness/browser.js';

/** Time origin of the state histories printed on failure (and of the libdatachannel log). */
const T0 = Date.now();
// Diagnosis: NDC_LOG=/tmp/ndc.log writes libdatachannel's Info log, stamped with ms since T0.
if (process.env.NDC_LOG) {
  nodeDataChannel.initLogger('Info', (level, msg) => appendFileSync(process.env.NDC_LOG!, `${Date.now() - T0} ${level} ${msg}\n`));
}

const WAIT_MS = 15_000;

type SubscriberState = MediaPageSubscriberState; // page.html's, declared in media-globals.d.ts
type VideoState = MediaPageVideoState;

/** Polls `probe` until it returns a value that is not undefined, or fails after `ms`. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = WAIT_MS): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${last instanceof Error ? String(last) : JSON.stringify(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Observed figures, printed at the end (the docs quote them). */
const figures: string[] = [];

describe('SFU media plane forwards Chromium media', () => {
  let http: Server;
  let url: string;
  let browser: Browser;
  let sfu: Sfu;
  let room: Room;
  const errors: unknown[] = [];
  const pages: Page[] = [];
  const stateHistory = new Map<Peer, string[]>();

  /** Opens a participant page wired to a new Peer of the room. */
  async function join(id: string): Promise<{ page: Page; peer: Peer }> {
    const page = await browser.newPage();
    pages.push(page);
    const peer = room.addPeer(id);
    const history: string[] = [];
    stateHistory.set(peer, history);
    peer.on('connectionStateChange', (transport, state) => history.push(`${Date.now() - T0} ${transport}:${state}`));
    await page.exposeFunction('toNode', (msg: { transport: 'publisher' | 'subscriber'; candidate: string; sdpMid: string }) => {
      if (!peer.closed) peer.addRemoteCandidate(msg.transport, msg.candidate, msg.sdpMid);
    });
    await page.goto(url);
    peer.on('candidate', (c) => {
      page.evaluate(([t, cand, mid]) => window.addCandidate(t, cand, mid), [c.transport, c.candidate, c.sdpMid] as const).catch((e) => errors.push(e));
    });
    peer.on('publisherSdp', ({ sdp }) => {
      page.evaluate((s) => window.applyPublisherAnswer(s), sdp).catch((e) => errors.push(e));
    });
    peer.on('subscriberSdp', ({ sdp }) => {
      page
        .evaluate((s) => window.answerSubscriberOffer(s), sdp)
        .then((answer) => peer.handleSubscriberAnswer(answer))
        .catch((e) => errors.push(e));
    });
    return { page, peer };
  }

  const subscriberState = (page: Page): Promise<SubscriberState> => page.evaluate(() => window.subscriberState());

  /** Waits until `streamId` decodes on `page`: width > 0 and framesDecoded rising. */
  async function waitDecoding(page: Page, streamId: string, peer?: Peer): Promise<VideoState> {
    try {
      const first = await waitFor(`video of ${streamId} decoding`, async () => {
        const v = (await subscriberState(page)).video[streamId];
        return v && v.width > 0 && v.framesDecoded > 0 ? v : undefined;
      });
      return await waitFor(`frames of ${streamId} rising`, async () => {
        const v = (await subscriberState(page)).video[streamId];
        return v && v.framesDecoded > first.framesDecoded ? v : undefined;
      });
    } catch (error) {
      // Say what each side saw, so that a failure can be diagnosed from the log alone.
      const pageState = await subscriberState(page).catch((e) => String(e));
      const sfuState = peer
        ? {
            ...peer.getStats(),
            subscriber: peer.subscriber.connectionState,
            negotiating: peer.subscriber.negotiating,
            states: stateHistory.get(peer),
            now: Date.now() - T0,
          }
        : undefined;
      const sources = room.tracks.map((t) => ({ id: t.id, kind: t.kind, ...t.getStats() }));
      throw new Error(
        `${(error as Error).message}\npage: ${JSON.stringify(pageState)}\nsfu peer: ${JSON.stringify(sfuState)}\nsources: ${JSON.stringify(sources)}\nerrors: ${errors.map(String).join('; ')}`,
      );
    }
  }

  function tracksOf(streamId: string): PublishedTrack[] {
    return room.tracks.filter((t) => t.streamId === streamId);
  }

  beforeAll(async () => {
    const html = readFileSync(new URL('./page.html', import.meta.url));
    http = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS] });
    // No bindAddress: libdatachannel gathers host candidates on every non-loopback interface,
    // which is what Chromium (no loopback candidates) can reach.
    sfu = new Sfu({ portRange: { min: 42000, max: 42999 } });
    room = sfu.createRoom('e2e-room');
  });

  afterAll(async () => {
    sfu?.close();
    await browser?.close();
    await new Promise((r) => http?.close(r));
    if (figures.length > 0) console.log(`[media e2e figures]\n  ${figures.join('\n  ')}`);
  });

  let alice: { page: Page; peer: Peer };
  let bob: { page: Page; peer: Peer };
  let cameraStreamId: string;
  let secondStreamId: string;

  it('publishes camera and microphone as VP8 and Opus over one connection', async () => {
    alice = await join('alice');
    const published: PublishedTrack[] = [];
    room.on('trackPublished', (t) => published.push(t));
    const offer: { sdp: string; streamId: string } = await alice.page.evaluate(() => window.publishCamera());
    cameraStreamId = offer.streamId;
    void alice.peer.handlePublisherOffer(offer.sdp);
    expect(published.map((t) => t.kind).sort()).toEqual(['audio', 'video']);
    const [video] = tracksOf(cameraStreamId).filter((t) => t.kind === 'video');
    const [audio] = tracksOf(cameraStreamId).filter((t) => t.kind === 'audio');
    expect(video!.codecs.map((c) => c.codec.name)).toEqual(['VP8']);
    // Opus, and RED around it (Chromium offers it; the SFU's answer lists it first).
    expect(audio!.codecs.map((c) => c.codec.name)).toEqual(['opus', 'red']);
    await waitFor('publisher media', () => (video!.getStats().packetsIn > 0 && audio!.getStats().packetsIn > 0 ? true : undefined));
    expect(alice.peer.publisher.connectionState).toBe('connected');
  });

  it('a subscriber decodes the video and receives the audio', async () => {
    bob = await join('bob');
    const t0 = Date.now();
    for (const t of tracksOf(cameraStreamId)) bob.peer.subscribe(t);
    const v = await waitDecoding(bob.page, cameraStreamId, bob.peer);
    expect(v.width).toBeGreaterThan(0);
    const state = await waitFor('audio packets', async () => {
      const s = await subscriberState(bob.page);
      return (s.audio[cameraStreamId]?.packetsReceived ?? 0) > 0 ? s : undefined;
    });
    figures.push(`fresh subscriber connection: subscribe → first decoded frame ${Math.round(state.firstFrameAt[cameraStreamId]! - t0)} ms`);
    const fwd = bob.peer.subscriptions.find((f) => f.kind === 'video')!;
    expect(fwd.getStats().packetsOut).toBeGreaterThan(0);
    expect(fwd.getStats().senderReports + bob.peer.subscriptions.find((f) => f.kind === 'audio')!.getStats().packetsOut).toBeGreaterThan(0);
  });

  it('a late subscriber decodes: its keyframe request reaches the publisher', async () => {
    const video = tracksOf(cameraStreamId).find((t) => t.kind === 'video')!;
    // Let the last keyframe age (Chromium sends none by itself): ~100 packets is seconds of video.
    const packetsNow = video.getStats().packetsIn;
    await waitFor('the last keyframe to age', () => (video.getStats().packetsIn > packetsNow + 100 ? true : undefined));
    const plisBefore = video.getStats().plisSent;
    const keyframesBefore = video.getStats().keyframesIn;
    const carol = await join('carol');
    const t0 = Date.now();
    for (const t of tracksOf(cameraStreamId)) carol.peer.subscribe(t);
    await waitDecoding(carol.page, cameraStreamId, carol.peer);
    const s = await subscriberState(carol.page);
    figures.push(`late subscriber (fresh connection): subscribe → first decoded frame ${Math.round(s.firstFrameAt[cameraStreamId]! - t0)} ms`);
    // The SFU asked (throttled PLI) and the publisher answered with a keyframe.
    expect(video.getStats().plisSent).toBeGreaterThan(plisBefore);
    expect(video.getStats().keyframesIn).toBeGreaterThan(keyframesBefore);
    carol.peer.close();
    await carol.page.close();
    expect(video.subscriberCount).toBe(1);
  });

  it('a second stream published on the same connection is received on the same subscriber connection', async () => {
    const offer: { sdp: string; streamId: string } = await alice.page.evaluate(() => window.publishSecond());
    secondStreamId = offer.streamId;
    void alice.peer.handlePublisherOffer(offer.sdp);
    const [second] = tracksOf(secondStreamId);
    expect(second?.kind).toBe('video');
    await waitFor('second stream media', () => (second!.getStats().packetsIn > 0 ? true : undefined));
    const t0 = Date.now();
    bob.peer.subscribe(second!);
    await waitDecoding(bob.page, secondStreamId, bob.peer);
    const s = await subscriberState(bob.page);
    figures.push(`added stream on a running subscriber connection: subscribe → first decoded frame ${Math.round(s.firstFrameAt[secondStreamId]! - t0)} ms`);
    // Still decoding the camera too, over the same connection.
    await waitDecoding(bob.page, cameraStreamId, bob.peer);
    expect(s.transceivers.length).toBe(3);
  });

  it('unsubscribing turns the m-section inactive; resubscribing reuses it on the same connection', async () => {
    const [second] = tracksOf(secondStreamId);
    const before = await subscriberState(bob.page);
    const mid = bob.peer.subscriptions.find((f) => f.source === second)!.mid;
    expect(bob.peer.unsubscribe(second!)).toBe(true);
    const after = await waitFor('inactive m-section', async () => {
      const s = await subscriberState(bob.page);
      const t = s.transceivers.find((x) => x.mid === mid);
      return t?.currentDirection === 'inactive' ? s : undefined;
    });
    expect(after.removedTracks.some((r) => r.streamId === secondStreamId && r.kind === 'video')).toBe(true);
    expect(after.transceivers.length).toBe(before.transceivers.length);

    const t0 = Date.now();
    const again = bob.peer.subscribe(second!);
    expect(again.mid).toBe(mid); // the inactive mid is reused
    await waitDecoding(bob.page, secondStreamId, bob.peer);
    const s = await subscriberState(bob.page);
    figures.push(`resubscribe on a reused mid: subscribe → first decoded frame ${Math.round(s.firstFrameAt[secondStreamId]! - t0)} ms`);
    expect(s.transceivers.length).toBe(before.transceivers.length);
  });

  it('a stream the publisher stops is unpublished and removed from subscribers', async () => {
    const [second] = tracksOf(secondStreamId);
    const unpublished: PublishedTrack[] = [];
    room.on('trackUnpublished', (t) => unpublished.push(t));
    const sdp: string = await alice.page.evaluate(() => window.unpublishSecond());
    void alice.peer.handlePublisherOffer(sdp);
    expect(unpublished).toEqual([second]);
    expect(bob.peer.subscriptions.some((f) => f.source === second)).toBe(false);
    await waitFor('publisher renegotiated', async () => {
      const st = await alice.page.evaluate(() => window.publisherState());
      return st.connectionState === 'connected' ? st : undefined;
    });
    // The camera keeps flowing to bob.
    await waitDecoding(bob.page, cameraStreamId, bob.peer);
    expect(errors).toEqual([]);
  });

  it('a stopped stream can be published again on the same mid', async () => {
    const [old] = room.tracks.filter((t) => t.streamId === secondStreamId);
    expect(old).toBeUndefined();
    const sdp: string = await alice.page.evaluate(() => window.republishSecond());
    void alice.peer.handlePublisherOffer(sdp);
    const [again] = tracksOf(secondStreamId);
    expect(again?.kind).toBe('video');
    await waitFor('republished media', () => (again!.getStats().packetsIn > 0 ? true : undefined));
    bob.peer.subscribe(again!);
    await waitDecoding(bob.page, secondStreamId, bob.peer);
    const st = await alice.page.evaluate(() => window.publisherState());
    expect(st.connectionState).toBe('connected');
    expect(errors).toEqual([]);
  });

  it('RTCP flows both ways: translated sender reports, subscriber REMB, receiver reports and REMB to the publisher', async () => {
    const video = bob.peer.subscriptions.find((f) => f.source.streamId === cameraStreamId && f.kind === 'video')!;
    const audio = bob.peer.subscriptions.find((f) => f.source.streamId === cameraStreamId && f.kind === 'audio')!;
    await waitFor('sender reports to the subscriber', () => (video.getStats().senderReports > 0 && audio.getStats().senderReports > 0 ? true : undefined));
    await waitFor('REMB from the subscriber', () => (video.getStats().remb > 0 ? true : undefined));
    const remote = await waitFor('receiver reports at the publisher', async () => {
      const st = await alice.page.evaluate(() => window.publisherState());
      const r = st.remoteInbound.find((x: { kind: string }) => x.kind === 'video');
      return r?.roundTripTime !== undefined ? { ...r, roundTripTime: r.roundTripTime } : undefined;
    });
    figures.push(
      `publisher-side RTT from the SFU's receiver reports: ${Math.round(remote.roundTripTime * 1000)} ms; subscriber REMB ${Math.round(video.getStats().remb / 1000)} kbit/s`,
    );
    const camera = tracksOf(cameraStreamId).find((t) => t.kind === 'video')!;
    expect(camera.getStats().targetBitrate).toBeGreaterThan(0);
  });

  it('lost packets are NACKed by the subscriber and retransmitted from the cache', async () => {
    const fwd = bob.peer.subscriptions.find((f) => f.source.streamId === cameraStreamId && f.kind === 'video')!;
    const before = (await subscriberState(bob.page)).video[cameraStreamId]!;
    // Inject 5 % loss on this one subscription by wrapping its forward() (test-only).
    const forward = fwd.forward.bind(fwd);
    let n = 0;
    fwd.forward = (packet, pt, seq, ts) => {
      if (++n % 20 !== 0) forward(packet, pt, seq, ts);
    };
    try {
      const stats = await waitFor('retransmissions', () => (fwd.getStats().retransmitted >= 5 ? fwd.getStats() : undefined));
      expect(stats.nacksReceived).toBeGreaterThan(0);
      const after = await waitFor('subscriber NACKs and decoding', async () => {
        const v = (await subscriberState(bob.page)).video[cameraStreamId]!;
        return v.nackCount > before.nackCount && v.framesDecoded > before.framesDecoded + 30 ? v : undefined;
      });
      expect(after.width).toBeGreaterThan(0);
      figures.push(`5 % injected loss: ${stats.nackedPackets} packets NACKed, ${stats.retransmitted} retransmitted, ${stats.retransmitMisses} cache misses`);
    } finally {
      delete (fwd as { forward?: unknown }).forward; // back to the prototype method
    }
  });

  it('closing the SFU closes everything once', () => {
    const closed: string[] = [];
    room.on('closed', () => closed.push('room'));
    alice.peer.on('closed', () => closed.push('alice'));
    bob.peer.on('closed', () => closed.push('bob'));
    const video = tracksOf(cameraStreamId).find((t) => t.kind === 'video')!;
    video.on('closed', () => closed.push('track'));
    sfu.close();
    sfu.close();
    expect(closed.sort()).toEqual(['alice', 'bob', 'room', 'track']);
    expect(sfu.rooms).toEqual([]);
    expect(() => alice.peer.handlePublisherOffer('v=0')).toThrow(/closed/);
  });
});
