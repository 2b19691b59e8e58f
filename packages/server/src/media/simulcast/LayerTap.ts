import type { PublishedTrack, TrackOutput } from '../PublishedTrack.js';

/** What a {@link LayerTap} calls on the subscription that owns it. @internal */
export interface LayerTapOwner {
  forwardLayer(index: number, layer: PublishedTrack, packet: Buffer, inPt: number, inSeq: number, inTs: number): void;
  forwardLayerSenderReport(index: number, rtcp: Buffer, off: number): void;
  /** A lower layer ended alone (the publisher stopped that encoding). */
  layerClosed(index: number): void;
  /** The top layer ended: the subscription ends. */
  sourceClosed(): void;
  /** The layers' bitrates were measured: time to choose again. */
  reselect(): void;
  readonly bitrateShare: number;
}

/**
 * One subscription's output on one simulcast encoding: tells the subscription which layer a
 * packet came from, so a single {@link ForwardedTrack} can listen to every layer of its source
 * and forward one of them.
 */
export class LayerTap implements TrackOutput {
  readonly #owner: LayerTapOwner;
  readonly #layer: PublishedTrack;
  readonly #index: number;
  readonly #top: boolean;

  constructor(owner: LayerTapOwner, layer: PublishedTrack, index: number, top: boolean) {
    this.#owner = owner;
    this.#layer = layer;
    this.#index = index;
    this.#top = top;
  }

  get bitrateShare(): number {
    return this.#owner.bitrateShare;
  }

  forward(packet: Buffer, inPt: number, inSeq: number, inTs: number): void {
    this.#owner.forwardLayer(this.#index, this.#layer, packet, inPt, inSeq, inTs);
  }

  forwardSenderReport(rtcp: Buffer, off: number): void {
    this.#owner.forwardLayerSenderReport(this.#index, rtcp, off);
  }

  layersMeasured(): void {
    if (this.#top) this.#owner.reselect();
  }

  sourceClosed(): void {
    if (this.#top) this.#owner.sourceClosed();
    else this.#owner.layerClosed(this.#index);
  }

  /** Detaches from the layer. */
  detach(): void {
    this.#layer.removeOutput(this);
  }
}
