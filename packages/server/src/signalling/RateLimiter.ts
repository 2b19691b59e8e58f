import type { RateLimitConfig } from '../config/Config.js';
import { SlidingWindow } from '../util/SlidingWindow.js';

/**
 * Per-connection token bucket: `burst` requests at once, refilled at `perSecond`. Refusals
 * are counted too: `maxRefusals` within `refusalWindowMs` means the client ignores the
 * refusals and the connection should be closed (4006).
 */
export class RateLimiter {
  readonly #config: RateLimitConfig;
  #tokens: number;
  #last: number;
  #refusals: SlidingWindow | null = null;
  #exhausted = false;

  /** @param now current time in ms (monotonic), injectable for tests */
  constructor(config: RateLimitConfig, now: number = performance.now()) {
    this.#config = config;
    this.#tokens = config.burst;
    this.#last = now;
  }

  /** True once the refusal limit was reached: the caller closes the connection. */
  get exhausted(): boolean {
    return this.#exhausted;
  }

  /**
   * Takes one token. Returns false (and counts a refusal) when the bucket is empty.
   * @param now current time in ms (monotonic)
   */
  take(now: number = performance.now()): boolean {
    const { burst, perSecond } = this.#config;
    if (now > this.#last) {
      this.#tokens = Math.min(burst, this.#tokens + ((now - this.#last) * perSecond) / 1000);
      this.#last = now;
    }
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    this.#refusals ??= new SlidingWindow(this.#config.maxRefusals, this.#config.refusalWindowMs);
    if (this.#refusals.hit(now)) this.#exhausted = true;
    return false;
  }
}
