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
 *   next layer is tried; if the estimate then falls below it, the selector comes back down and
 *   doubles the back-off. An SFU that sends probing padding would not need this; ours does not.
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

  constructor(options: LayerSelectorOptions = {}) {
    this.#upHeadroom = options.upHeadroom ?? 1.15;
    this.#initialBackoff = options.trialBackoffMs ?? 3000;
    this.#maxBackoff = options.maxTrialBackoffMs ?? 24000;
    this.#saturation = options.saturation ?? 1.3;
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
    if (estimate <= 0 || current < 0) return this.#set(estimate <= 0 ? highest : this.#fitting(inputs, lowest, highest, estimate), now, false);
    if (current > highest || !active[current]) return this.#set(this.#fitting(inputs, lowest, highest, estimate), now, false);

    if (bitrates[current]! > estimate && current > lowest) {
      const next = this.#fitting(inputs, lowest, current - 1, estimate);
      if (this.#trial && now - this.#changedAt < this.#backoff + this.#initialBackoff) {
        this.#backoff = Math.min(this.#maxBackoff, this.#backoff * 2);
      }
      return this.#set(next, now, false);
    }
    for (let l = highest; l > current; l--) {
      if (active[l] && bitrates[l]! * this.#upHeadroom <= estimate) return this.#set(l, now, false);
    }
    if (this.#trial && now - this.#changedAt >= this.#initialBackoff) {
      this.#trial = false; // survived: the trial is confirmed
      this.#backoff = this.#initialBackoff;
    }
    if (current < highest && estimate >= bitrates[current]! * this.#saturation && now - this.#changedAt >= this.#backoff) {
      let next = current + 1;
      while (next < highest && !active[next]) next++;
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
      this.#current = layer;
      this.#changedAt = now;
      this.#trial = trial;
    }
    return layer;
  }
}
