import { randomInt } from 'node:crypto';
import type { StreamDescriptor } from '@parley/protocol';
import type { MediaTrack as PublishedTrack } from '../media/MediaApi.js';

/** What `conv.publish` announces about a stream (the descriptor without ids the server assigns). */
export interface PublicationInit {
  streamId: number;
  msid: string;
  publisherId: string;
  hasAudio: boolean;
  hasVideo: boolean;
  isAudioMuted: boolean;
  isVideoMuted: boolean;
  isScreensharing: boolean;
  context?: Record<string, unknown> | undefined;
  /** The publisher's app allows remote re-enabling of audio/video (default false). */
  remoteUnmuteEnabled?: boolean | undefined;
}

/** Fields `conv.updateStream` may change. */
export interface PublicationUpdate {
  hasAudio: boolean;
  hasVideo: boolean;
  isAudioMuted: boolean;
  isVideoMuted: boolean;
}

/**
 * A stream announced in a conversation: its descriptor as every participant sees it, the msid
 * its publisher's SDP carries, and (SFU) the media tracks once that SDP brought them. Tracks are
 * matched by msid because the browser's SDP knows nothing of apiRTC stream ids.
 */
export class Publication {
  readonly streamId: number;
  readonly msid: string;
  readonly publisherId: string;
  /** Random numeric leg id (apiRTC `callId`), unique enough per conversation. */
  readonly callId: string;
  /** Serialized size of the descriptor as announced, in bytes (flag updates change it by a few). */
  readonly bytes: number;
  /** Whether subscribers may re-enable the publisher's audio/video (kept off the descriptor). */
  readonly remoteUnmuteEnabled: boolean;
  #descriptor: StreamDescriptor;
  readonly #tracks = new Set<PublishedTrack>();

  constructor(init: PublicationInit) {
    this.streamId = init.streamId;
    this.msid = init.msid;
    this.publisherId = init.publisherId;
    this.remoteUnmuteEnabled = init.remoteUnmuteEnabled === true;
    // ≥ 12 digits so ids never collide with small apiRTC local ids; randomInt caps below 2^48.
    this.callId = String(randomInt(100_000_000_000, 2 ** 48 - 1));
    this.#descriptor = {
      streamId: init.streamId,
      callId: this.callId,
      publisherId: init.publisherId,
      hasAudio: init.hasAudio,
      hasVideo: init.hasVideo,
      isAudioMuted: init.isAudioMuted,
      isVideoMuted: init.isVideoMuted,
      isScreensharing: init.isScreensharing,
      ...(init.context !== undefined ? { context: init.context } : {}),
    };
    this.bytes = Buffer.byteLength(JSON.stringify(this.#descriptor));
  }

  /** The wire descriptor (shared object: callers must not mutate it). */
  get descriptor(): StreamDescriptor {
    return this.#descriptor;
  }

  /** Media tracks the publisher's SDP brought for this stream (SFU only). */
  get tracks(): PublishedTrack[] {
    return [...this.#tracks];
  }

  /** True once at least one media track arrived. */
  get hasMedia(): boolean {
    return this.#tracks.size > 0;
  }

  /** Applies a `conv.updateStream`; a new object so events already built keep their content. */
  update(change: PublicationUpdate): StreamDescriptor {
    this.#descriptor = { ...this.#descriptor, ...change };
    return this.#descriptor;
  }

  /** Attaches a media track whose msid is this stream's; returns false when it is not. */
  attach(track: PublishedTrack): boolean {
    if (track.streamId !== this.msid || track.closed) return false;
    this.#tracks.add(track);
    return true;
  }

  /** Forgets a track (ended or re-offered away); returns whether it was attached. */
  detach(track: PublishedTrack): boolean {
    return this.#tracks.delete(track);
  }

  /** Tracks a subscriber asking for `audio` / `video` should receive. */
  tracksFor(audio: boolean, video: boolean): PublishedTrack[] {
    return this.tracks.filter((t) => (t.kind === 'audio' ? audio : video));
  }

  /** Forgets every track (unpublished, or the room left SFU); idempotent. */
  close(): void {
    this.#tracks.clear();
  }
}
