import type { ProbeClusters } from '../bwe/ProbeClusters.js';
import { PADDING_PACKET_SIZE, type RtpRewriter } from '../rtp/RtpRewriter.js';
import type { LayerState } from './LayerState.js';
import { PaddingPacer } from './PaddingPacer.js';

/**
 * Packets of one probe cluster (about 4.3 kB): larger than a small shaper's burst allowance, so
 * a rate-limited path spreads them out, and small enough that such a path queues them for a few
 * tens of milliseconds instead of dropping media behind them.
 */
export const CLUSTER_PACKETS = 16;

/** Where a subscription's padding packets go (its track). */
export interface PaddingSink {
  /** Sends one packet; false when the track can no longer send. */
  sendPadding(packet: Buffer): boolean;
}

/**
 * The bandwidth probes of one simulcast subscription, sent after the end of a frame (never inside
 * one): a probe cluster when the layer selector wants one and the connection has none in flight,
 * else the padding a running padding probe owes. Both are padding-only packets continuing the
 * subscription's sequence numbers.
 */
export class ProbeSender {
  readonly #rewriter: RtpRewriter;
  readonly #sink: PaddingSink;
  readonly #pacer = new PaddingPacer();
  /** Scratch packet, allocated at the first probe. */
  #buf: Buffer | null = null;
  /** Clusters sent. */
  clusters = 0;

  constructor(rewriter: RtpRewriter, sink: PaddingSink) {
    this.#rewriter = rewriter;
    this.#sink = sink;
  }

  /** A frame was forwarded whole: sends what the probes want now. */
  frameEnded(layers: LayerState, probes: ProbeClusters | undefined, now: number): void {
    if (probes !== undefined && layers.clusterDue(now, probes.enabled) && this.#cluster(probes, now)) return;
    this.#pad(layers.paddingRate, now);
  }

  /**
   * {@link CLUSTER_PACKETS} padding packets back to back, numbered for transport-wide feedback.
   * False when another cluster of the connection is in flight.
   */
  #cluster(probes: ProbeClusters, now: number): boolean {
    const first = probes.begin(CLUSTER_PACKETS, PADDING_PACKET_SIZE, now);
    if (first < 0) return false;
    const buf = (this.#buf ??= Buffer.alloc(PADDING_PACKET_SIZE));
    let sent = 0;
    while (sent < CLUSTER_PACKETS && this.#rewriter.writePadding(buf, now, (first + sent) & 0xffff) !== 0 && this.#sink.sendPadding(buf)) sent++;
    if (sent < CLUSTER_PACKETS) probes.truncate(sent);
    this.clusters++;
    return true;
  }

  /**
   * The padding a padding probe owes since the last burst (rate × elapsed): the subscriber's
   * estimator counts it as received bytes.
   */
  #pad(rate: number, now: number): void {
    const count = this.#pacer.owed(rate, now);
    if (count === 0) return;
    const buf = (this.#buf ??= Buffer.alloc(PADDING_PACKET_SIZE));
    for (let i = 0; i < count; i++) {
      if (this.#rewriter.writePadding(buf, now) === 0 || !this.#sink.sendPadding(buf)) return;
    }
  }
}
