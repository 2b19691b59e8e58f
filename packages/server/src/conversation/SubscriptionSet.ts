import type { MediaPeer as Peer, MediaTrack as PublishedTrack } from '../media/MediaApi.js';
import type { Publication } from './Publication.js';

/** What a participant wants of a stream it subscribed to. */
export interface Subscription {
  audio: boolean;
  video: boolean;
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

  constructor(peer: () => Peer | null) {
    this.#peer = peer;
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
    this.#wanted.set(publication.streamId, wanted);
    if (!media) return;
    try {
      const peer = media();
      const tracks = publication.tracksFor(wanted.audio, wanted.video);
      for (const track of publication.tracks) if (!tracks.includes(track)) peer.unsubscribe(track);
      for (const track of tracks) peer.subscribe(track);
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
      media().subscribe(track);
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
