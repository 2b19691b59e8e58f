/**
 * The SFU media plane forwards real Chromium media: an in-process Sfu, headless Chromium pages
 * as participants, SDP and candidates shuttled with page.evaluate / exposeFunction (no Parley
 * signalling involved).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import nodeDataChannel from 'node-datachannel';
import { Sfu, type Peer, type PublishedTrack, type Room } from '../../../packages/server/src/media/index.js';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];
const WAIT_MS = 15_000;

interface VideoState { width: number; framesDecoded: number; codec: string; pliCount: number; nackCount: number }
interface SubscriberState {
  video: Record<string, VideoState>;
  audio: Record<string, { packetsReceived: number }>;
  transceivers: { mid: string | null; currentDirection: string | null; kind: string; trackId: string }[];
  removedTracks: { streamId: string; trackId: string; kind: string }[];
  firstFrameAt: Record<string, number>;
  connectionState: string;
}

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
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
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

  /** Opens a participant page wired to a new Peer of the room. */
  async function join(id: string): Promise<{ page: Page; peer: Peer }> {
    const page = await browser.newPage();
    pages.push(page);
    const peer = room.addPeer(id);
    await page.exposeFunction('toNode', (msg: { transport: 'publisher' | 'subscriber'; candidate: string; sdpMid: string }) => {
      if (!peer.closed) peer.addRemoteCandidate(msg.transport, msg.candidate, msg.sdpMid);
    });
    await page.goto(url);
    peer.on('candidate', (c) => {
      page.evaluate(([t, cand, mid]) => (window as any).addCandidate(t, cand, mid), [c.transport, c.candidate, c.sdpMid] as const).catch((e) => errors.push(e));
    });
    peer.on('publisherSdp', ({ sdp }) => {
      page.evaluate((s) => (window as any).applyPublisherAnswer(s), sdp).catch((e) => errors.push(e));
    });
    peer.on('subscriberSdp', ({ sdp }) => {
      page
        .evaluate((s) => (window as any).answerSubscriberOffer(s) as Promise<string>, sdp)
        .then((answer) => peer.handleSubscriberAnswer(answer))
        .catch((e) => errors.push(e));
    });
    return { page, peer };
  }

  const subscriberState = (page: Page): Promise<SubscriberState> => page.evaluate(() => (window as any).subscriberState());

  /** Waits until `streamId` decodes on `page`: width > 0 and framesDecoded rising. */
  async function waitDecoding(page: Page, streamId: string): Promise<VideoState> {
    const first = await waitFor(`video of ${streamId} decoding`, async () => {
      const v = (await subscriberState(page)).video[streamId];
      return v && v.width > 0 && v.framesDecoded > 0 ? v : undefined;
    });
    return waitFor(`frames of ${streamId} rising`, async () => {
      const v = (await subscriberState(page)).video[streamId];
      return v && v.framesDecoded > first.framesDecoded ? v : undefined;
    });
  }

  function tracksOf(streamId: string): PublishedTrack[] {
    return room.tracks.filter((t) => t.streamId === streamId);
  }

  beforeAll(async () => {
    const html = readFileSync(new URL('./page.html', import.meta.url));
    http = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
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
    const offer: { sdp: string; streamId: string } = await alice.page.evaluate(() => (window as any).publishCamera());
    cameraStreamId = offer.streamId;
    alice.peer.handlePublisherOffer(offer.sdp);
    expect(published.map((t) => t.kind).sort()).toEqual(['audio', 'video']);
    const [video] = tracksOf(cameraStreamId).filter((t) => t.kind === 'video');
    const [audio] = tracksOf(cameraStreamId).filter((t) => t.kind === 'audio');
    expect(video!.codecs.map((c) => c.codec.name)).toEqual(['VP8']);
    expect(audio!.codecs.map((c) => c.codec.name)).toEqual(['opus']);
    await waitFor('publisher media', () => (video!.getStats().packetsIn > 0 && audio!.getStats().packetsIn > 0 ? true : undefined));
    expect(alice.peer.publisher.connectionState).toBe('connected');
  });

  it('a subscriber decodes the video and receives the audio', async () => {
    for (let round = 0; round < 12; round++) {
    bob = await join('bob' + round);
    const marks: Record<string, number> = {};
    const t0 = Date.now();
    const logs: string[] = [];
    nodeDataChannel.initLogger('Debug', (level, msg) => { if (/sub-bob|ICE|DTLS|Dtls|Ice|juice|candidate|Candidate/i.test(msg)) logs.push(`${Date.now() - t0} ${level} ${msg.slice(0, 160)}`); });
    bob.peer.on('subscriberSdp', () => { marks.offer ??= Date.now() - t0; });
    bob.peer.on('connectionStateChange', (tr, st) => { marks[st] ??= Date.now() - t0; });
    const origAnswer = bob.peer.handleSubscriberAnswer.bind(bob.peer);
    bob.peer.handleSubscriberAnswer = (s: string) => { marks.answer ??= Date.now() - t0; origAnswer(s); };
    const fw = tracksOf(cameraStreamId).map((t) => bob.peer.subscribe(t));
    const vid = tracksOf(cameraStreamId).find((t) => t.kind === 'video')!;
    const kf0 = vid.getStats().keyframesIn;
    const poll = setInterval(() => {
      if (fw[1]!.forwarding) marks.open ??= Date.now() - t0;
      if (vid.getStats().keyframesIn > kf0) marks.keyframe ??= Date.now() - t0;
    }, 2);
    await waitDecoding(bob.page, cameraStreamId);
    clearInterval(poll);
    const st = await subscriberState(bob.page);
    marks.decoded = Math.round(st.firstFrameAt[cameraStreamId]! - t0);
    console.log('TTFF', JSON.stringify(marks));
    if (marks.connected! - marks.answer! > 150) console.log('SLOW\n' + logs.join('\n'));
    nodeDataChannel.initLogger('Warning');
    bob.peer.close();
    }
  });
});
