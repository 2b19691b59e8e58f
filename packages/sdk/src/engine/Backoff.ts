/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** First delay in ms (`ccsConnectionRetryDelay`, default 1000). */
  initialMs: number;
  /** Growth per attempt (default 1.5). */
  factor?: number;
  /** Ceiling in ms (default 5000, or `initialMs` when the app asked for a longer delay). */
  maxMs?: number;
  /** Relative jitter: each delay is scaled by a random factor in [1 - jitter, 1 + jitter] (default 0.15). */
  jitter?: number;
  /** Random source in [0, 1), injectable for tests. */
  random?: () => number;
}

/**
 * Reconnection delays: `initialMs × factor^n`, capped, with jitter so that many clients dropped
 * by one server restart do not all come back in the same millisecond.
 */
export class Backoff {
  readonly #initial: number;
  readonly #factor: number;
  readonly #max: number;
  readonly #jitter: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions) {
    this.#initial = Math.max(0, options.initialMs);
    this.#factor = options.factor ?? 1.5;
    this.#max = Math.max(options.maxMs ?? 5000, this.#initial);
    this.#jitter = options.jitter ?? 0.15;
    this.#random = options.random ?? Math.random;
  }

  /** Attempts handed out since the last {@link reset}. */
  get attempts(): number {
    return this.#attempt;
  }

  /** Delay in ms to wait before the next attempt; counts the attempt. */
  next(): number {
    const raw = Math.min(this.#max, this.#initial * this.#factor ** this.#attempt);
    this.#attempt++;
    const scale = 1 - this.#jitter + 2 * this.#jitter * this.#random();
    return Math.round(Math.min(this.#max, raw * scale));
  }

  /** Starts again from `initialMs` (after a successful reconnection). */
  reset(): void {
    this.#attempt = 0;
  }
}
