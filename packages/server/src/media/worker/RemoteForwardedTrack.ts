import type { MediaForwardedTrack } from '../MediaApi.js';
import type { MediaKind } from '../codecs.js';
import type { RemoteTrack } from './RemoteTrack.js';

/**
 * The main process's view of a subscription in a media worker. Created when subscribe() is
 * sent; its id, mid and stream id are the worker's once the worker's next subscriber offer
 * described it (they are only read for that offer's stream list).
 */
export class RemoteForwardedTrack implements MediaForwardedTrack {
  readonly source: RemoteTrack;
  readonly kind: MediaKind;
  id: string;
  mid = '';
  streamId = '';
  #closed = false;

  constructor(source: RemoteTrack) {
    this.source = source;
    this.kind = source.kind;
    this.id = `pending-${source.id}`;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** @internal The worker's description of this subscription. */
  settle(id: string, mid: string, streamId: string): void {
    this.id = id;
    this.mid = mid;
    this.streamId = streamId;
  }

  /** @internal */
  markClosed(): void {
    this.#closed = true;
  }
}
