/**
 * "At most `max` events within any `windowMs`": admits an event only when fewer than `max`
 * admitted events fall within the last `windowMs`. Unlike WindowCounter, refused attempts are
 * not recorded, so a client that keeps retrying is admitted again as soon as its older events
 * leave the window. Storage (one timestamp per admitted event) is allocated at the first one.
 */
export class WindowQuota {
  readonly max: number;
  readonly windowMs: number;
  #times: Float64Array | null = null;
  /** Index of the oldest admitted event kept (once `max` were admitted). */
  #next = 0;
  #count = 0;

  constructor(max: number, windowMs: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be ≥ 1, got ${max}`);
    this.max = max;
    this.windowMs = windowMs;
  }

  /**
   * Admits and records an event at `now` (ms, monotonic), or returns false (nothing recorded)
   * when `max` events were admitted within the last `windowMs`.
   */
  take(now: number = performance.now()): boolean {
    const times = (this.#times ??= new Float64Array(this.max));
    if (this.#count === this.max && now - (times[this.#next] as number) < this.windowMs) return false;
    times[this.#next] = now;
    this.#next = (this.#next + 1) % this.max;
    if (this.#count < this.max) this.#count++;
    return true;
  }
}
