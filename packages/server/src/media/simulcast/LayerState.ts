import type { PublishedTrack } from '../PublishedTrack.js';
import { readVp8Fields, type Vp8Fields } from '../rtp/vp8Descriptor.js';
import { LayerSelector } from './LayerSelector.js';
import { LayerTap, type LayerTapOwner } from './LayerTap.js';
import { Vp8PictureRewriter } from './Vp8PictureRewriter.js';

/**
 * The simulcast side of one subscription ({@link ForwardedTrack} of a layered source): its taps on
 * every layer, the layer forwarded now and the one wanted, the subscriber's cap, and the VP8
 * PictureID continuity across switches. The sequence-number/timestamp side stays in the
 * subscription's `RtpRewriter`.
 */
export class LayerState {
  readonly #layers: readonly PublishedTrack[];
  readonly #taps: LayerTap[];
  readonly #selector = new LayerSelector();
  readonly #vp8 = new Vp8PictureRewriter();
  readonly #fields: Vp8Fields = { pictureIdOffset: -1, longPictureId: false, tl0PicIdxOffset: -1 };
  /** Layer forwarded now, -1 before the first keyframe. */
  current = -1;
  /** Layer wanted, -1 before the first choice. */
  target = -1;
  /** Highest layer the subscriber asked for. */
  preferred: number;
  switches = 0;
  /** performance.now() of the last packet sent while a switch waits (timestamp continuity). */
  #lastSentAt = 0;

  constructor(owner: LayerTapOwner, layers: readonly PublishedTrack[]) {
    this.#layers = layers;
    this.#taps = layers.map((l, i) => new LayerTap(owner, l, i, i === layers.length - 1));
    layers.forEach((l, i) => l.addOutput(this.#taps[i]!));
    this.preferred = layers.length - 1;
  }

  /**
   * Chooses the layer from the estimate and the layers' state. Returns the layer to ask a
   * keyframe of (a new target not forwarded yet), else null.
   */
  choose(estimate: number, clusters: boolean): PublishedTrack | null {
    const layers = this.#layers;
    const now = performance.now();
    const layer = this.#selector.select(
      { preferred: this.preferred, estimate, clusters, bitrates: layers.map((l) => l.bitrate), active: layers.map((l) => l.active) },
      now,
    );
    if (layer < 0 || layer === this.target) return null;
    this.target = layer;
    if (layer === this.current) return null;
    this.#lastSentAt = now;
    return layers[layer] ?? null;
  }

  /** Whether a probe cluster should follow the frame just forwarded (see {@link LayerSelector.clusterDue}). */
  clusterDue(now: number, enabled: boolean): boolean {
    return enabled && this.#selector.clusterDue(now);
  }

  /** A probe cluster's measured bit rate (see {@link LayerSelector.probed}). */
  probed(bitrate: number, now: number): void {
    this.#selector.probed(bitrate, now);
  }

  /** Padding to add while probing for a higher layer, bit/s (see {@link LayerSelector}). */
  get paddingRate(): number {
    return this.#selector.paddingRate;
  }

  /**
   * Hot path: whether a packet of layer `index` is forwarded. On the target layer's keyframe it
   * switches; returns the wall-clock time the timestamps should continue from (≥ 0), -1 to
   * forward without a switch, -2 to drop.
   */
  accept(index: number, layer: PublishedTrack): number {
    if (index === this.current) return -1;
    if (index !== this.target || !layer.packetIsKeyframe) return -2;
    const from = this.current < 0 ? performance.now() : this.#lastSentAt;
    this.#vp8.switchSource();
    this.current = index;
    this.switches++;
    return from;
  }

  /** After forwarding a packet of `layer`: PictureID rewrite done, switch bookkeeping. */
  rewriteVp8(packet: Buffer, layer: PublishedTrack): void {
    if (layer.pictureId >= 0 || layer.tl0PicIdx >= 0) this.#vp8.rewrite(packet, layer.vp8Fields, layer.pictureId, layer.tl0PicIdx);
  }

  /** Call after each forwarded packet: while a switch waits, remembers when the output last moved. */
  sent(): void {
    if (this.target !== this.current) this.#lastSentAt = performance.now();
  }

  /** Rewrites the VP8 fields of a retransmitted copy (read from the copy itself). */
  rewriteRetransmission(copy: Buffer): void {
    const f = this.#fields;
    if (!readVp8Fields(copy, f)) return;
    this.#vp8.rewrite(copy, f, Vp8PictureRewriter.inputPictureId(copy, f), f.tl0PicIdxOffset < 0 ? -1 : copy[f.tl0PicIdxOffset]!);
  }

  /** The layer whose keyframes and packet cache serve the subscriber now. */
  serving(): PublishedTrack {
    const layers = this.#layers;
    return layers[this.current >= 0 ? this.current : this.target] ?? layers[layers.length - 1]!;
  }

  /** Stops listening to every layer. */
  detach(): void {
    for (const tap of this.#taps) tap.detach();
  }
}
