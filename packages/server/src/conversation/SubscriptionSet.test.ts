import { ErrorCode, ParleyError } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import type { Peer, PublishedTrack } from '../media/index.js';
import { Publication } from './Publication.js';
import { SubscriptionSet } from './SubscriptionSet.js';

/** Records what the set asks of the media peer; `refuse` makes `subscribe` throw. */
class FakePeer {
  readonly forwarded = new Set<string>();
  refuse = false;
  /** Simulcast layers of every forwarded track, and the preferred layers the set asked for. */
  layerCount = 1;
  readonly preferred: number[] = [];
  layerListener: ((layer: number) => void) | null = null;
  subscribe(track: PublishedTrack): object {
    if (this.refuse) throw new ParleyError(ErrorCode.BAD_PARAMETER, 'too many subscriptions');
    this.forwarded.add(track.id);
    return {
      layerCount: this.layerCount,
      setPreferredLayer: (l: number) => this.preferred.push(l),
      on: (_event: 'layerChanged', cb: (layer: number) => void) => (this.layerListener = cb),
    };
  }
  unsubscribe(track: PublishedTrack): boolean {
    return this.forwarded.delete(track.id);
  }
  asPeer(): Peer {
    // The set calls only subscribe/unsubscribe.
    return this as unknown as Peer;
  }
}

function track(id: string, kind: 'audio' | 'video'): PublishedTrack {
  // Publication.attach and the set read only these fields.
  return { id, kind, streamId: 'msid-1', peerId: 'alice', closed: false } as unknown as PublishedTrack;
}

function publicationWith(...tracks: PublishedTrack[]): Publication {
  const publication = new Publication({
    streamId: 7,
    msid: 'msid-1',
    publisherId: 'alice',
    hasAudio: true,
    hasVideo: true,
    isAudioMuted: false,
    isVideoMuted: false,
    isScreensharing: false,
  });
  for (const t of tracks) publication.attach(t);
  return publication;
}

describe('SubscriptionSet', () => {
  const audio = track('t-a', 'audio');
  const video = track('t-v', 'video');

  it('drives the media peer: a repeated subscribe replaces the kinds, remove stops them', () => {
    const peer = new FakePeer();
    const set = new SubscriptionSet(() => peer.asPeer());
    const publication = publicationWith(audio, video);
    set.add(publication, { audio: true, video: true }, () => peer.asPeer());
    expect([...peer.forwarded].sort()).toEqual(['t-a', 't-v']);
    set.add(publication, { audio: true, video: false }, () => peer.asPeer());
    expect([...peer.forwarded]).toEqual(['t-a']);
    expect(set.get(7)).toEqual({ audio: true, video: false });
    expect(set.remove(publication)).toBe(true);
    expect(peer.forwarded.size).toBe(0);
    expect(set.has(7)).toBe(false);
    expect(set.remove(publication)).toBe(false);
  });

  it('a refusal of the media plane leaves the stream unsubscribed', () => {
    const peer = new FakePeer();
    peer.refuse = true;
    const set = new SubscriptionSet(() => peer.asPeer());
    expect(() => set.add(publicationWith(audio), { audio: true, video: true }, () => peer.asPeer())).toThrow(ParleyError);
    expect(set.has(7)).toBe(false);
    set.add(publicationWith(), { audio: true, video: true });
    peer.refuse = true;
    expect(() => set.trackArrived(7, video, () => peer.asPeer())).toThrow(ParleyError);
    expect(set.has(7)).toBe(false);
  });

  it('a late track is forwarded only when its kind was asked for; clear returns the stream ids', () => {
    const peer = new FakePeer();
    const set = new SubscriptionSet(() => peer.asPeer());
    set.add(publicationWith(), { audio: false, video: true });
    set.trackArrived(7, audio, () => peer.asPeer());
    set.trackArrived(7, video, () => peer.asPeer());
    expect([...peer.forwarded]).toEqual(['t-v']);
    expect(set.clear()).toEqual([7]);
    expect(set.size).toBe(0);
  });

  it('simulcast: applies the quality asked for (kept across re-subscribes) and reports layer changes by quality name', () => {
    const peer = new FakePeer();
    peer.layerCount = 3;
    const changes: [number, string][] = [];
    const set = new SubscriptionSet(
      () => peer.asPeer(),
      (streamId, quality) => changes.push([streamId, quality]),
    );
    const publication = publicationWith(track('a', 'audio'), track('v', 'video'));
    set.add(publication, { audio: true, video: true }, () => peer.asPeer());
    expect(set.setQuality(publication, 'low')).toBe(true);
    set.add(publication, { audio: true, video: true }, () => peer.asPeer());
    // Fakes give every track 3 layers: audio + video at 'high', video 'low', then both keep 'low'.
    expect(peer.preferred).toEqual([2, 2, 0, 0, 0]);
    peer.layerListener?.(1);
    peer.layerListener?.(2);
    expect(changes).toEqual([
      [publication.streamId, 'medium'],
      [publication.streamId, 'high'],
    ]);
    set.remove(publication);
    expect(set.setQuality(publication, 'high')).toBe(false);
  });
});
