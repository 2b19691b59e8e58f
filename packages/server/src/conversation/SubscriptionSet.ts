import type { MediaForwardedTrack as ForwardedTrack, MediaPeer as Peer, MediaTrack as PublishedTrack } from '../media/MediaApi.js';
import type { Publication } from './Publication.js';

/** What a participant wants of a stream it subscribed to. */
export interface Subscription {
  audio: boolean;
  video: boolean;
  /** Highest simulcast quality wanted (apiRTC `streamQuality`); the top one when absent. */
  quality?: SimulcastQuality;
}

/** apiRTC's simulcast qualities, low to high. */
export type SimulcastQuality = 'low' | 'medium' | 'high';
const QUALITIES: readonly SimulcastQuality[] = ['low', 'medium', 'high'];

/** The layer index of `quality` for a source with `count` layers (high = the top one). */
export function layerOfQuality(quality: SimulcastQuality | undefined, count: number): number {
  if (quality === undefined || quality === 'high') return count - 1;
  return Math.min(count - 1, QUALITIES.indexOf(quality));
}

/** apiRTC's name of layer `layer` of `count` (the top is 'high', the bottom 'low'). */
export function qualityOfLayer(layer: number, count: number): SimulcastQuality {
  if (layer >= count - 1) return 'high';
  return layer <= 0 ? 'low' : 'medium';
}

/**
 * The one owner of a participant's subscriptions: what it asked for, per stream id, and, in SFU
 * mode, the media forwarded for it. The conversation records and ends subscriptions here only;
 * this set drives the participant's media {@link Peer} (whose forwarded tracks are the media
 * plane's view of the same thing) so that the two cannot drift apart.
 */
export class SubscriptionSet {
  readonly #wanted = new Map<number, Subscription>();
  /** The participant's media peer, if it has one. */
  readonly #peer: () => Peer | null;
  /** Tells the participant the simulcast layer of a stream changed. */
  readonly #layerChanged: (streamId: number, quality: SimulcastQuality) => void;
  /** Forwarded simulcast tracks already listened to. */
  readonly #watched = new WeakSet<ForwardedTrack>();

  constructor(peer: () => Peer | null, layerChanged: (streamId: number, quality: SimulcastQuality) => void = () => undefined) {
    this.#peer = peer;
    this.#layerChanged = layerChanged;
  }

  /**
   * Sets the highest simulcast quality wanted for a subscribed stream (`updateSubscribedStream`).
   * False when `streamId` is not subscribed.
   */
  setQuality(publication: Publication, quality: SimulcastQuality): boolean {
    const wanted = this.#wanted.get(publication.streamId);
    if (!wanted) return false;
    wanted.quality = quality;
    const peer = this.#peer();
    if (peer) for (const track of publication.tracks) if (track.kind === 'video' && wanted.video) this.#forward(publication.streamId, track, peer, wanted);
    return true;
  }

  /** Forwards `track` to `peer` and applies the simulcast choice. */
  #forward(streamId: number, track: PublishedTrack, peer: Peer, wanted: Subscription): void {
    const forwarded = peer.subscribe(track);
    const count = forwarded.layerCount;
    if (count < 2) return;
    forwarded.setPreferredLayer(layerOfQuality(wanted.quality, count));
    if (this.#watched.has(forwarded)) return;
    this.#watched.add(forwarded);
    forwarded.on('layerChanged', (layer) => this.#layerChanged(streamId, qualityOfLayer(layer, count)));
  }

  get size(): number {
    return this.#wanted.size;
  }

  has(streamId: number): boolean {
    return this.#wanted.has(streamId);
  }

  get(streamId: number): Subscription | undefined {
    return this.#wanted.get(streamId);
  }

  /** Subscribed stream ids. */
  streamIds(): number[] {
    return [...this.#wanted.keys()];
  }

  /**
   * Subscribes to `publication` (a repeated call replaces the audio/video choice). With `media`
   * (SFU mode, returns the participant's peer) the tracks already there are forwarded now, the
   * kinds no longer wanted stop.
   * @throws what the media plane refuses with (no capacity, too many subscriptions): then the
   *   stream is not subscribed
   */
  add(publication: Publication, wanted: Subscription, media?: () => Peer): void {
    const quality = wanted.quality ?? this.#wanted.get(publication.streamId)?.quality;
    this.#wanted.set(publication.streamId, quality === undefined ? wanted : { ...wanted, quality });
    if (!media) return;
    try {
      const peer = media();
      const tracks = publication.tracksFor(wanted.audio, wanted.video);
      for (const track of publication.tracks) if (!tracks.includes(track)) peer.unsubscribe(track);
      const now = this.#wanted.get(publication.streamId)!;
      for (const track of tracks) this.#forward(publication.streamId, track, peer, now);
    } catch (error) {
      this.#wanted.delete(publication.streamId);
      throw error;
    }
  }

  /**
   * A track of stream `streamId` arrived: forwards it when that stream is subscribed with its kind.
   * @throws what the media plane refuses with: then the subscription has ended
   */
  trackArrived(streamId: number, track: PublishedTrack, media: () => Peer): void {
    const wanted = this.#wanted.get(streamId);
    if (!wanted || !(track.kind === 'audio' ? wanted.audio : wanted.video)) return;
    try {
      this.#forward(streamId, track, media(), wanted);
    } catch (error) {
      this.#wanted.delete(streamId);
      throw error;
    }
  }

  /** Ends the subscription to `publication` and stops its media. False when not subscribed. */
  remove(publication: Publication): boolean {
    if (!this.#wanted.delete(publication.streamId)) return false;
    const peer = this.#peer();
    if (peer) for (const track of publication.tracks) peer.unsubscribe(track);
    return true;
  }

  /**
   * Forgets every subscription and returns their stream ids: the mode switch (mesh subscriptions
   * have no media) and a failed subscriber connection (its forwarded tracks already ended).
   */
  clear(): number[] {
    const ids = [...this.#wanted.keys()];
    this.#wanted.clear();
    return ids;
  }
}
