/**
 * The last `max` event times in a ring, for "how many events within `windowMs`" questions. Two
 * uses with different bookkeeping: {@link hit} records every event (abuse detection: repeated
 * refusals still count), {@link take} records only admitted ones (quotas: a client that keeps
 * retrying is admitted again as soon as its older events leave the window). Storage is allocated
 * at the first event: most connections and sessions never produce one.
 */
export class SlidingWindow {
  readonly max: number;
  readonly windowMs: number;
  #times: Float64Array | null = null;
  /** Slot of the next write; once `max` events were recorded, also the oldest one kept. */
  #next = 0;
  #count = 0;

  constructor(max: number, windowMs: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be ≥ 1, got ${max}`);
    this.max = max;
    this.windowMs = windowMs;
  }

  /**
   * Records an event at `now` (ms, monotonic) and returns true when it is at least the `max`-th
   * within the last `windowMs`.
   */
  hit(now: number = performance.now()): boolean {
    this.#record(now);
    return this.#full(now);
  }

  /**
   * Admits and records an event at `now` (ms, monotonic), or returns false (nothing recorded)
   * when `max` events were admitted within the last `windowMs`.
   */
  take(now: number = performance.now()): boolean {
    if (this.#full(now)) return false;
    this.#record(now);
    return true;
  }

  #full(now: number): boolean {
    return this.#count === this.max && now - (this.#times as Float64Array)[this.#next]! < this.windowMs;
  }

  #record(now: number): void {
    const times = (this.#times ??= new Float64Array(this.max));
    times[this.#next] = now;
    this.#next = (this.#next + 1) % this.max;
    if (this.#count < this.max) this.#count++;
  }
}
