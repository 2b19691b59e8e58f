/** What {@link LayerSelector.select} decides from. */
export interface LayerInputs {
  /** Highest layer the subscriber wants (0 = low … n−1 = high), e.g. a small tile asks for 0. */
  preferred: number;
  /** Subscriber's bandwidth share for this track from its REMB, bit/s; 0 when unknown. */
  estimate: number;
  /** Whether the subscriber's connection measures probe clusters (it negotiated transport-cc). */
  clusters?: boolean;
  /** Bitrate each layer arrives with, bit/s, low to high. */
  bitrates: readonly number[];
  /** Whether each layer is arriving at all (the publisher may pause encodings). */
  active: readonly boolean[];
}

/** Tuning of {@link LayerSelector} (defaults in the constructor). */
export interface LayerSelectorOptions {
  /** An upgrade needs `bitrate × upHeadroom ≤ estimate`. */
  upHeadroom?: number;
  /** An estimate below the current layer's bitrate moves down once it stayed there this long, ms. */
  downHoldMs?: number;
  /** …or at once when it falls below this share of the layer's bitrate. */
  severeDrop?: number;
  /** First wait on a layer before probing for the next one, ms (doubles after each failed probe). */
  probeBackoffMs?: number;
  /** Longest wait between probes, ms. */
  maxProbeBackoffMs?: number;
  /** The estimate must reach `bitrate(current) × saturation` before a probe. */
  saturation?: number;
  /** A probe fails when the estimate falls below this share of the highest it reached. */
  probeDrop?: number;
  /** A probe the estimate neither confirmed nor refused fails after this long, ms. */
  probeMaxMs?: number;
  /**
   * Share of the estimate a probe fills: media plus padding reach `estimate × probeFill`, enough
   * to lift Chromium's 1.5 × incoming cap, short of loading the link to the estimate. Below
   * 1 / upHeadroom, so a probe never sends more than the next layer would.
   */
  probeFill?: number;
  /**
   * A fall within this long after moving up doubles the back-off too (the higher layer did not
   * hold); holding a layer moved up to this long resets the back-off. ms.
   */
  stableMs?: number;
  /** Least time between two probe clusters of this subscription, ms. */
  clusterIntervalMs?: number;
  /** A cluster's measured rate counts as an estimate of `rate / clusterMargin`. */
  clusterMargin?: number;
  /** How long a cluster's measurement counts, ms (clusters repeat while it is relied on). */
  clusterValidMs?: number;
}

/**
 * Picks the simulcast layer of one subscription from the subscriber's own bandwidth estimate,
 * with hysteresis so that a noisy estimate does not flip layers, and decides when to probe:
 *
 * - **down** when the current layer's bitrate exceeds the estimate (to the highest layer that
 *   fits, else the lowest): at once when the estimate is far below (`severeDrop`), after
 *   `downHoldMs` otherwise. Chromium answers any over-use, even a keyframe burst or a scheduling
 *   hiccup on a loopback link, with 0.85 × the rate it receives, which is below the layer it
 *   receives; it climbs back within a couple of seconds when the link was not the cause;
 * - **up** when a higher layer fits with `upHeadroom` to spare;
 * - **probe** otherwise. Chromium's receive-side estimator never reports much more than 1.5 ×
 *   what it receives (AIMD cap on the incoming rate), so a subscriber moved to a low layer could
 *   never show room for a higher one by itself. When its estimate is saturated (≥ `saturation` ×
 *   the current bitrate: no congestion seen) and the layer has been held for the back-off, the
 *   subscription adds padding ({@link paddingRate}) so that it receives `probeFill` × its
 *   estimate, up to what the next layer needs: the estimate can climb, and the **up** rule moves
 *   the subscriber once the next layer fits. A fall of the estimate (the receiver saw over-use)
 *   or `probeMaxMs` without reaching the next layer ends the probe and doubles the back-off.
 *   Padding costs the subscriber's link only bytes it has already shown it can take; switching
 *   up to find out would cost a keyframe of the higher layer, which on a link too slow for it
 *   freezes the picture.
 *
 * Pure apart from the clock passed in: unit-tested without a network.
 */
export class LayerSelector {
  readonly #upHeadroom: number;
  readonly #downHoldMs: number;
  readonly #severeDrop: number;
  /** Since when the estimate has been below the current layer's bitrate, -1 when it is not. */
  #belowSince = -1;
  readonly #initialBackoff: number;
  readonly #maxBackoff: number;
  readonly #saturation: number;
  readonly #probeDrop: number;
  readonly #probeMaxMs: number;
  readonly #probeFill: number;
  readonly #stableMs: number;
  #current = -1;
  #changedAt = 0;
  #backoff: number;
  /** When the selector last moved up. */
  #upAt = -Infinity;
  /** When the running probe began, -1 when none runs; when the last one ended. */
  #probeAt = -1;
  #probeEndedAt = -Infinity;
  /** Highest estimate seen since the probe began. */
  #probePeak = 0;
  #paddingRate = 0;
  readonly #clusterIntervalMs: number;
  readonly #clusterMargin: number;
  readonly #clusterValidMs: number;
  #clusterAt = -Infinity;
  /** Last cluster measurement, bit/s, and when it came. */
  #probedRate = 0;
  #probedAt = -Infinity;
  /** Highest wanted layer arriving, at the last choice. */
  #highest = -1;
  #lastEstimate = 0;
  /** The current layer is held on a cluster's measurement, above the receiver's estimate. */
  #leaning = false;
  /** The first choice knowing that clusters will measure the path was made (the lowest layer). */
  #startedLow = false;

  constructor(options: LayerSelectorOptions = {}) {
    this.#upHeadroom = options.upHeadroom ?? 1.15;
    this.#downHoldMs = options.downHoldMs ?? 2500;
    this.#severeDrop = options.severeDrop ?? 0.7;
    this.#initialBackoff = options.probeBackoffMs ?? 3000;
    this.#maxBackoff = options.maxProbeBackoffMs ?? 32000;
    this.#saturation = options.saturation ?? 1.3;
    this.#probeDrop = options.probeDrop ?? 0.9;
    this.#probeMaxMs = options.probeMaxMs ?? 25000;
    this.#probeFill = options.probeFill ?? 0.8;
    this.#stableMs = options.stableMs ?? 30000;
    this.#clusterIntervalMs = options.clusterIntervalMs ?? 2000;
    this.#clusterMargin = options.clusterMargin ?? 2;
    this.#clusterValidMs = options.clusterValidMs ?? 5000;
    this.#backoff = this.#initialBackoff;
  }

  /**
   * Whether a probe cluster should go out now (and if so, counts it as sent): while a higher
   * layer is wanted and the estimate does not show congestion, or while the current layer is held
   * on a cluster's measurement, at most every `clusterIntervalMs`.
   */
  clusterDue(now: number): boolean {
    if (this.#current < 0 || now - this.#clusterAt < this.#clusterIntervalMs) return false;
    if (!this.#leaning && (this.#current >= this.#highest || this.#belowSince >= 0)) return false;
    this.#clusterAt = now;
    return true;
  }

  /** A probe cluster measured what the subscriber's path delivers, bit/s (0: nothing usable). */
  probed(bitrate: number, now: number): void {
    this.#probedRate = bitrate;
    this.#probedAt = now;
  }

  /** Layer chosen last (-1 before the first choice). */
  get current(): number {
    return this.#current;
  }

  /** Current wait before a probe, ms. */
  get probeBackoffMs(): number {
    return this.#backoff;
  }

  /** Padding to add to the forwarded layer now, bit/s (0 when not probing). */
  get paddingRate(): number {
    return this.#paddingRate;
  }

  /** True while a probe runs. */
  get probing(): boolean {
    return this.#probeAt >= 0;
  }

  /** Chooses the layer to forward now, and the padding rate. */
  select(inputs: LayerInputs, now: number): number {
    const { preferred, bitrates, active } = inputs;
    const estimate = this.#effectiveEstimate(inputs.estimate, now);
    const top = Math.min(preferred, bitrates.length - 1);
    let lowest = -1;
    let highest = -1;
    for (let l = 0; l <= top; l++) {
      if (!active[l]) continue;
      if (lowest < 0) lowest = l;
      highest = l;
    }
    if (highest < 0) {
      // Nothing wanted is arriving: take whatever arrives, lowest first (a paused top layer).
      for (let l = 0; l < bitrates.length && highest < 0; l++) if (active[l]) highest = l;
      return this.#set(highest < 0 ? this.#current : highest, now);
    }
    this.#highest = highest;
    const current = this.#current;
    this.#leaning = current >= 0 && estimate > inputs.estimate && bitrates[current]! > inputs.estimate;
    // A layer moved up to that held: the link is known good again.
    if (this.#upAt === this.#changedAt && now - this.#changedAt >= this.#stableMs) this.#backoff = this.#initialBackoff;
    if (estimate <= 0) {
      // Nothing measured yet. Without clusters, the top layer until the first REMB. With them,
      // the lowest: its keyframe gets through any link at once, and the first cluster (after its
      // first frame) tells within a round trip how far up the path allows.
      if (!inputs.clusters) return this.#set(highest, now);
      if (!this.#startedLow) {
        this.#startedLow = true; // a choice made before the connection was negotiated does not count
        return this.#set(lowest, now);
      }
      return this.#set(current >= lowest && current <= highest ? current : lowest, now);
    }
    if (current < 0) return this.#set(this.#fitting(inputs, lowest, highest, estimate), now);
    if (current > highest || !active[current]) return this.#set(this.#fitting(inputs, lowest, highest, estimate), now);

    if (bitrates[current]! > estimate && current > lowest) {
      if (this.#belowSince < 0) this.#belowSince = now;
      if (estimate < bitrates[current]! * this.#severeDrop || now - this.#belowSince >= this.#downHoldMs) {
        if (now - this.#upAt < this.#stableMs || this.probing) this.#doubleBackoff();
        return this.#set(this.#fitting(inputs, lowest, current - 1, estimate), now);
      }
      return this.#endProbe(current, now); // a dip: wait and see, without probing meanwhile
    }
    this.#belowSince = -1;
    for (let l = highest; l > current; l--) {
      if (active[l] && bitrates[l]! * this.#upHeadroom <= estimate) return this.#set(l, now);
    }
    if (current >= highest) return this.#endProbe(current, now);
    // Padding probes work on the receiver's own estimate (they exist to lift it).
    const remb = inputs.estimate;
    if (this.probing) {
      if (remb < this.#probePeak * this.#probeDrop || now - this.#probeAt >= this.#probeMaxMs) {
        this.#doubleBackoff(); // over-use seen, or the estimate never got there
        return this.#endProbe(current, now);
      }
      this.#probePeak = Math.max(this.#probePeak, remb);
    } else if (remb >= bitrates[current]! * this.#saturation && now - Math.max(this.#changedAt, this.#probeEndedAt) >= this.#backoff) {
      this.#probeAt = now;
      this.#probePeak = remb;
    } else {
      return current;
    }
    // Below the next layer's need by construction (else the up rule above would have moved).
    this.#paddingRate = Math.max(0, Math.round(remb * this.#probeFill - bitrates[current]!));
    return current;
  }

  /**
   * The receiver's estimate, or what a recent probe cluster measured (÷ `clusterMargin`) when that
   * is more: Chromium's REMB climbs about 8 % a second from where congestion left it, a cluster
   * shows at once what the path delivers. A fall of the REMB is an over-use the receiver saw
   * (Chromium lowers it only once it has caught up with what it receives): it voids the cluster's
   * measurement.
   */
  #effectiveEstimate(estimate: number, now: number): number {
    if (estimate > 0 && estimate < this.#lastEstimate * this.#probeDrop) this.#probedRate = 0;
    this.#lastEstimate = estimate;
    if (now - this.#probedAt > this.#clusterValidMs) return estimate;
    return Math.max(estimate, this.#probedRate / this.#clusterMargin);
  }

  /** Highest active layer in [lowest, highest] whose bitrate fits the estimate, else `lowest`. */
  #fitting(inputs: LayerInputs, lowest: number, highest: number, estimate: number): number {
    for (let l = highest; l > lowest; l--) {
      if (inputs.active[l] && inputs.bitrates[l]! <= estimate) return l;
    }
    return lowest;
  }

  #doubleBackoff(): void {
    this.#backoff = Math.min(this.#maxBackoff, this.#backoff * 2);
  }

  #endProbe(current: number, now: number): number {
    if (this.#probeAt >= 0) {
      this.#probeAt = -1;
      this.#probeEndedAt = now;
    }
    this.#paddingRate = 0;
    return current;
  }

  #set(layer: number, now: number): number {
    this.#endProbe(layer, now);
    if (layer !== this.#current) {
      this.#belowSince = -1;
      if (layer > this.#current && this.#current >= 0) this.#upAt = now;
      this.#current = layer;
      this.#changedAt = now;
    }
    return layer;
  }
}
