import type { ListenerErrorSink } from '../../util/Emitter.js';
import { Emitter } from '../../util/Emitter.js';
import type { MediaForwardedTrack, MediaForwardedTrackEvents } from '../MediaApi.js';
import type { MediaKind } from '../codecs.js';
import type { RemoteTrack } from './RemoteTrack.js';

/**
 * The main process's view of a subscription in a media worker. Created when subscribe() is
 * sent; its id and mid are the worker's once the worker's next subscriber offer described it.
 * Its msid stream id is the source's from the start (the worker's is the same): an offer the
 * worker made before it saw this subscription is sent with a stream list that includes it, and
 * an empty msid there would hide the msid of the same stream's other track from the browser. Simulcast: the preferred layer
 * goes to the worker through `prefer`, the worker's layer changes come back as `layerChanged`.
 */
export class RemoteForwardedTrack extends Emitter<MediaForwardedTrackEvents> implements MediaForwardedTrack {
  readonly source: RemoteTrack;
  readonly kind: MediaKind;
  id: string;
  mid = '';
  streamId: string;
  readonly #prefer: (layer: number) => void;
  #closed = false;

  constructor(source: RemoteTrack, prefer: (layer: number) => void, errorSink?: ListenerErrorSink) {
    super(errorSink);
    this.source = source;
    this.kind = source.kind;
    this.id = `pending-${source.id}`;
    this.streamId = source.streamId;
    this.#prefer = prefer;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get layerCount(): number {
    return this.source.layerCount;
  }

  setPreferredLayer(layer: number): void {
    if (this.#closed || this.layerCount < 2) return;
    this.#prefer(Math.max(0, Math.min(this.layerCount - 1, Math.floor(layer))));
  }

  /** @internal The worker's description of this subscription. */
  settle(id: string, mid: string, streamId: string): void {
    this.id = id;
    this.mid = mid;
    this.streamId = streamId;
  }

  /** @internal The worker switched the layer it forwards. */
  layerChanged(layer: number): void {
    if (!this.#closed) this.emit('layerChanged', layer);
  }

  /** @internal */
  markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.removeAllListeners();
  }
}
