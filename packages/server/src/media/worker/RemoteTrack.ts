import type { MediaTrack } from '../MediaApi.js';
import type { MediaKind } from '../codecs.js';
import type { MediaWorkerTrack } from './wire.js';

/** What a remote track needs of its room to record. */
export interface RemoteTrackOwner {
  startCapture(track: RemoteTrack, file: string): RemoteCaptureLike;
}

/** A capture running in the worker (see RemoteCapture). */
export interface RemoteCaptureLike {
  on(event: 'started', listener: (startedAt: number) => void): unknown;
  start(): void;
  stop(): Promise<void>;
}

/** The main process's view of a track published in a media worker. */
export class RemoteTrack implements MediaTrack {
  readonly id: string;
  readonly peerId: string;
  readonly kind: MediaKind;
  readonly streamId: string;
  readonly mid: string;
  /** First negotiated codec (VP8, opus, H264…), as the worker reported it. */
  readonly codec: string | null;
  /** Simulcast layers (1 without simulcast). */
  readonly layerCount: number;
  readonly #owner: RemoteTrackOwner;
  #closed = false;

  constructor(owner: RemoteTrackOwner, peerId: string, wire: MediaWorkerTrack) {
    this.#owner = owner;
    this.peerId = peerId;
    this.id = wire.id;
    this.kind = wire.kind;
    this.streamId = wire.streamId;
    this.mid = wire.mid;
    this.codec = wire.codec;
    this.layerCount = wire.layers;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Records this track into `file` inside the worker (the packets stay there). */
  capture(file: string): RemoteCaptureLike {
    return this.#owner.startCapture(this, file);
  }

  /** @internal The worker reported the track's end (or the worker was lost). */
  markClosed(): void {
    this.#closed = true;
  }
}
