/**
 * Counts events in a sliding time window and says when `limit` of them fell within
 * `windowMs`. Storage (one timestamp per allowed event) is allocated at the first event:
 * most connections never produce one.
 */
export class WindowCounter {
  readonly limit: number;
  readonly windowMs: number;
  #times: Float64Array | null = null;
  #next = 0;
  #count = 0;

  constructor(limit: number, windowMs: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be ≥ 1, got ${limit}`);
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /**
   * Records an event at `now` (ms, monotonic) and returns true when it is at least the
   * `limit`-th within the last `windowMs`.
   */
  hit(now: number): boolean {
    const times = (this.#times ??= new Float64Array(this.limit));
    times[this.#next] = now;
    this.#next = (this.#next + 1) % this.limit;
    if (this.#count < this.limit) this.#count++;
    // After the write, #next points at the oldest of the last `limit` events.
    return this.#count === this.limit && now - (times[this.#next] as number) < this.windowMs;
  }
}
