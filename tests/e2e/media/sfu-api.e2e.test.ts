/**
 * The media plane's API against real libdatachannel connections, without a browser:
 * what the signalling layer gets back (answers, offers, candidates) and the guards.
 */
import { readFileSync } from 'node:fs';
import { ErrorCode, ParleyError } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import nodeDataChannel from 'node-datachannel';
import { Sfu, type PeerCandidate, type PeerSdp } from '@parley/server/media';

const CAMERA = readFileSync(new URL('../../../packages/server/src/media/sdp/fixtures/chromium-offer-camera.sdp', import.meta.url), 'utf8');

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ParleyError) return error.code;
    throw error;
  }
  return undefined;
}

function next<T>(subscribe: (resolve: (value: T) => void) => void, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    subscribe((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

describe('Sfu API on libdatachannel', () => {
  let sfu: Sfu | undefined;
  afterEach(() => sfu?.close());

  it('answers a Chromium offer with only VP8 and Opus (RED around it first), receive-only, and publishes its tracks synchronously', async () => {
    sfu = new Sfu();
    const room = sfu.createRoom('r');
    const alice = room.addPeer('alice');
    const published: string[] = [];
    room.on('trackPublished', (t) => published.push(`${t.kind}:${t.mid}:${t.ssrc}`));
    const answer = next<PeerSdp>((r) => alice.once('publisherSdp', r));
    void alice.handlePublisherOffer(CAMERA);
    expect(published).toEqual(['audio:0:3958800154', 'video:1:2691664866']);
    const { type, sdp } = await answer;
    expect(type).toBe('answer');
    // RED first: Chromium sends the first codec of the answer, so its audio comes redundant.
    expect(sdp).toMatch(/m=audio \d+ UDP\/TLS\/RTP\/SAVPF 63 111\r\n/);
    expect(sdp).toContain('a=fmtp:63 111/111\r\n');
    expect(sdp).toMatch(/m=video \d+ UDP\/TLS\/RTP\/SAVPF 96\r\n/);
    expect(sdp.match(/a=recvonly/g)).toHaveLength(2);
    // Sent once host gathering is done: the browser can start checks without waiting for trickle.
    expect(sdp).toMatch(/a=candidate:.* typ host/);
    expect(sdp).not.toContain('transport-cc');
  });

  it('refuses bad SDP synchronously with code 9 and stays usable', () => {
    sfu = new Sfu();
    const alice = sfu.createRoom('r').addPeer('alice');
    expect(codeOf(() => alice.handlePublisherOffer('not sdp'))).toBe(ErrorCode.BAD_PARAMETER);
    expect(codeOf(() => alice.handlePublisherOffer(CAMERA.replace(/a=rtpmap:111 opus/, 'a=rtpmap:111 speex')))).toBe(ErrorCode.BAD_PARAMETER);
    // Parses, but libdatachannel refuses it (no DTLS fingerprint).
    expect(codeOf(() => alice.handlePublisherOffer(CAMERA.replace(/a=fingerprint:.*\r\n/g, '')))).toBe(ErrorCode.BAD_PARAMETER);
    expect(codeOf(() => alice.handlePublisherOffer(CAMERA))).toBeUndefined();
  });

  it('offers subscribed tracks as sendonly m-sections with their msid and a fresh SSRC', async () => {
    sfu = new Sfu();
    const room = sfu.createRoom('r');
    const alice = room.addPeer('alice');
    const bob = room.addPeer('bob');
    void alice.handlePublisherOffer(CAMERA);
    const offer = next<PeerSdp>((r) => bob.once('subscriberSdp', r));
    const subs = room.tracks.map((t) => bob.subscribe(t.id));
    expect(bob.subscribe(room.tracks[0]!)).toBe(subs[0]); // idempotent
    const { type, sdp } = await offer;
    expect(type).toBe('offer');
    expect(bob.subscriber.negotiating).toBe(true);
    for (const f of subs) {
      expect(sdp).toContain(`a=ssrc:${f.ssrc} msid:${f.streamId} ${f.trackId}`);
      expect(f.ssrc).not.toBe(f.source.ssrc);
    }
    expect(sdp.match(/a=sendonly/g)).toHaveLength(2);
    expect(sdp).toMatch(/m=video \d+ UDP\/TLS\/RTP\/SAVPF 96\r\n/);
  });

  it('holds the subscriber candidates until the answer is applied (regression: DTLS "unknown CA" under load)', async () => {
    sfu = new Sfu();
    const room = sfu.createRoom('r');
    void room.addPeer('alice').handlePublisherOffer(CAMERA);
    const bob = room.addPeer('bob');
    const candidates: PeerCandidate[] = [];
    bob.on('candidate', (c) => candidates.push(c));
    const offer = next<PeerSdp>((r) => bob.once('subscriberSdp', r));
    bob.subscribe(room.tracks[1]!);
    const { sdp } = await offer;
    expect(sdp).not.toContain('a=candidate');
    await new Promise((r) => setTimeout(r, 100)); // gathering is long done by now
    expect(candidates.filter((c) => c.transport === 'subscriber')).toEqual([]);

    // A libdatachannel endpoint plays the browser.
    const browser = new nodeDataChannel.PeerConnection('fake-browser', { iceServers: [] });
    try {
      const answer = next<string>((r) => browser.onLocalDescription((s) => r(s)));
      browser.setRemoteDescription(sdp, 'offer');
      bob.handleSubscriberAnswer(await answer);
      // Released synchronously, right after libdatachannel has stored the answer.
      expect(candidates.some((c) => c.transport === 'subscriber')).toBe(true);
    } finally {
      browser.close();
    }
  });

  it('guards: own track, unknown track, answer without offer, duplicate ids', () => {
    sfu = new Sfu();
    const room = sfu.createRoom('r');
    const alice = room.addPeer('alice');
    void alice.handlePublisherOffer(CAMERA);
    expect(codeOf(() => alice.subscribe(room.tracks[0]!))).toBe(ErrorCode.BAD_PARAMETER);
    expect(codeOf(() => alice.subscribe('no-such-track'))).toBe(ErrorCode.BAD_PARAMETER);
    expect(codeOf(() => alice.handleSubscriberAnswer(CAMERA))).toBe(ErrorCode.WRONG_STATE);
    expect(codeOf(() => room.addPeer('alice'))).toBe(ErrorCode.BAD_PARAMETER);
    expect(codeOf(() => sfu!.createRoom('r'))).toBe(ErrorCode.BAD_PARAMETER);
    expect(codeOf(() => new Sfu({ portRange: { min: 2, max: 1 } }))).toBe(ErrorCode.BAD_PARAMETER);
  });

  it('announces the configured address in its candidates, from the configured port range', async () => {
    sfu = new Sfu({ announcedAddress: '203.0.113.7', portRange: { min: 43000, max: 43100 } });
    const alice = sfu.createRoom('r').addPeer('alice');
    const trickled: PeerCandidate[] = [];
    alice.on('candidate', (c) => trickled.push(c));
    const answer = next<PeerSdp>((r) => alice.once('publisherSdp', r));
    void alice.handlePublisherOffer(CAMERA);
    const { sdp } = await answer;
    const lines = [...sdp.matchAll(/^a=(candidate:.*)$/gm)].map((m) => m[1]!.trim());
    expect(lines.length).toBeGreaterThan(0);
    for (const c of [...lines, ...trickled.map((t) => t.candidate)]) {
      expect(c).toMatch(/^candidate:\S+ 1 UDP \d+ 203\.0\.113\.7 43\d\d\d typ host/);
    }
    // One candidate per socket once IPv4/IPv6 addresses are both announced as the same address.
    expect(new Set(lines.map((l) => l.split(' ').slice(4, 6).join(' '))).size).toBe(lines.length);
  });

  it('close() cascades once, tells parents, and later calls fail with code 16', () => {
    sfu = new Sfu();
    const room = sfu.createRoom('r');
    const alice = room.addPeer('alice');
    const bob = room.addPeer('bob');
    void alice.handlePublisherOffer(CAMERA);
    const sub = bob.subscribe(room.tracks[0]!);
    const events: string[] = [];
    room.on('trackUnpublished', (t) => events.push(`unpublished ${t.kind}`));
    room.on('peerClosed', (p) => events.push(`left ${p.id}`));
    bob.on('subscriptionEnded', () => events.push('bob subscription ended'));
    alice.close();
    alice.close();
    // Subscriptions end before their source's trackUnpublished.
    expect(events).toEqual(['bob subscription ended', 'unpublished audio', 'unpublished video', 'left alice']);
    expect(sub.closed).toBe(true);
    expect(room.tracks).toEqual([]);
    expect(codeOf(() => alice.handlePublisherOffer(CAMERA))).toBe(ErrorCode.WRONG_STATE);
    expect(codeOf(() => alice.addRemoteCandidate('publisher', 'candidate:1 1 udp 1 192.0.2.1 1 typ host'))).toBe(ErrorCode.WRONG_STATE);
    sfu.close();
    expect(room.closed && bob.closed && bob.subscriber.closed).toBe(true);
    expect(codeOf(() => sfu!.createRoom('x'))).toBe(ErrorCode.WRONG_STATE);
  });
});
