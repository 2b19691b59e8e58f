/** What {@link LayerSelector.select} decides from. */
export interface LayerInputs {
  /** Highest layer the subscriber wants (0 = low … n−1 = high), e.g. a small tile asks for 0. */
  preferred: number;
  /** Subscriber's bandwidth share for this track from its REMB, bit/s; 0 when unknown. */
  estimate: number;
  /** Bitrate each layer arrives with, bit/s, low to high. */
  bitrates: readonly number[];
  /** Whether each layer is arriving at all (the publisher may pause encodings). */
  active: readonly boolean[];
}

/** Tuning of {@link LayerSelector} (defaults in the constructor). */
export interface LayerSelectorOptions {
  /** An upgrade decided by the estimate needs `bitrate × upHeadroom ≤ estimate`. */
  upHeadroom?: number;
  /** First wait on a layer before trying the next one up, ms (doubles after each failed trial). */
  trialBackoffMs?: number;
  /** Longest wait between trials, ms. */
  maxTrialBackoffMs?: number;
  /** The estimate must reach `bitrate(current) × saturation` before a trial. */
  saturation?: number;
  /** A trial fails when the estimate falls below this share of its value at the trial's start. */
  trialDrop?: number;
  /** A trial the estimate neither confirmed nor refused is kept after this long, ms. */
  trialMaxMs?: number;
  /**
   * A fall within this long after moving up doubles the back-off too (the higher layer did not
   * hold); holding a layer this long resets the back-off. ms.
   */
  stableMs?: number;
}

/**
 * Picks the simulcast layer of one subscription from the subscriber's own bandwidth estimate,
 * with hysteresis so that a noisy estimate does not flip layers:
 *
 * - **down** at once when the current layer's bitrate exceeds the estimate (the highest layer
 *   that fits, else the lowest);
 * - **up** when a higher layer fits with `upHeadroom` to spare;
 * - **trial up** otherwise. Chromium's receive-side estimator never reports much more than
 *   1.5 × what it receives (AIMD cap on the incoming rate), so a subscriber moved to a low layer
 *   could never show room for a higher one. When its estimate is saturated (≥ `saturation` ×
 *   the current bitrate: no congestion seen) and the layer has been held for the back-off, the
 *   next layer is tried. During the trial the estimate may stay below the layer's bitrate while
 *   it climbs; only a fall of the estimate (the receiver saw over-use) ends it: back down, and
 *   the back-off doubles. The trial is confirmed when the estimate reaches the layer's bitrate; after
 *   `trialMaxMs` without that, the usual rule judges it and the back-off doubles. An SFU that sends probing padding would not need trials; ours does not.
 *
 * Pure apart from the clock passed in: unit-tested without a network.
 */
export class LayerSelector {
  readonly #upHeadroom: number;
  readonly #initialBackoff: number;
  readonly #maxBackoff: number;
  readonly #saturation: number;
  #current = -1;
  #changedAt = 0;
  #backoff: number;
  /** The last change was a trial upgrade not yet confirmed. */
  #trial = false;
  /** When the selector last moved up (by estimate or trial). */
  #upAt = -Infinity;
  readonly #stableMs: number;
  /** Highest estimate seen since the trial started. */
  #trialEstimate = 0;
  readonly #trialDrop: number;
  readonly #trialMaxMs: number;

  constructor(options: LayerSelectorOptions = {}) {
    this.#upHeadroom = options.upHeadroom ?? 1.15;
    this.#initialBackoff = options.trialBackoffMs ?? 3000;
    this.#maxBackoff = options.maxTrialBackoffMs ?? 32000;
    this.#saturation = options.saturation ?? 1.3;
    this.#trialDrop = options.trialDrop ?? 0.9;
    this.#trialMaxMs = options.trialMaxMs ?? 15000;
    this.#stableMs = options.stableMs ?? 30000;
    this.#backoff = this.#initialBackoff;
  }

  /** Layer chosen last (-1 before the first choice). */
  get current(): number {
    return this.#current;
  }

  /** Current wait before a trial upgrade, ms. */
  get trialBackoffMs(): number {
    return this.#backoff;
  }

  /** Chooses the layer to forward now. */
  select(inputs: LayerInputs, now: number): number {
    const { preferred, estimate, bitrates, active } = inputs;
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
      return this.#set(highest < 0 ? this.#current : highest, now, false);
    }
    const current = this.#current;
    if (now - this.#changedAt >= this.#stableMs) this.#backoff = this.#initialBackoff;
    if (estimate <= 0 || current < 0) return this.#set(estimate <= 0 ? highest : this.#fitting(inputs, lowest, highest, estimate), now, false);
    if (current > highest || !active[current]) return this.#set(this.#fitting(inputs, lowest, highest, estimate), now, false);

    if (this.#trial) {
      // A trial layer arrives faster than the estimate it was tried at: the receiver's estimate
      // needs a few seconds to climb. Only a fall of the estimate (over-use seen) ends the trial.
      if (estimate < this.#trialEstimate * this.#trialDrop) {
        this.#backoff = Math.min(this.#maxBackoff, this.#backoff * 2);
        return this.#set(this.#fitting(inputs, lowest, current - 1, estimate), now, false);
      }
      if (estimate >= bitrates[current]!) {
        this.#trial = false; // the estimate caught up: confirmed (the back-off resets once it holds)
      } else if (now - this.#changedAt >= this.#trialMaxMs) {
        this.#trial = false; // never caught up: judged by the usual rule below, tried again later
        this.#backoff = Math.min(this.#maxBackoff, this.#backoff * 2);
      } else {
        this.#trialEstimate = Math.max(this.#trialEstimate, estimate);
        return current;
      }
    }
    if (bitrates[current]! > estimate && current > lowest) {
      if (now - this.#upAt < this.#stableMs) this.#backoff = Math.min(this.#maxBackoff, this.#backoff * 2);
      return this.#set(this.#fitting(inputs, lowest, current - 1, estimate), now, false);
    }
    for (let l = highest; l > current; l--) {
      if (active[l] && bitrates[l]! * this.#upHeadroom <= estimate) return this.#set(l, now, false);
    }
    if (current < highest && estimate >= bitrates[current]! * this.#saturation && now - this.#changedAt >= this.#backoff) {
      let next = current + 1;
      while (next < highest && !active[next]) next++;
      this.#trialEstimate = estimate;
      return this.#set(next, now, true);
    }
    return current;
  }

  /** Highest active layer in [lowest, highest] whose bitrate fits the estimate, else `lowest`. */
  #fitting(inputs: LayerInputs, lowest: number, highest: number, estimate: number): number {
    for (let l = highest; l > lowest; l--) {
      if (inputs.active[l] && inputs.bitrates[l]! <= estimate) return l;
    }
    return lowest;
  }

  #set(layer: number, now: number, trial: boolean): number {
    if (layer !== this.#current) {
      if (layer > this.#current && this.#current >= 0) this.#upAt = now;
      this.#current = layer;
      this.#changedAt = now;
      this.#trial = trial;
    }
    return layer;
  }
}
