/** How long a sent request may stay unanswered before it is taken as lost and sent again, ms. */
export const KEYFRAME_RETRY_MS = 1000;
/** Resends of one unanswered request before waiting for a new one. */
const MAX_RETRIES = 3;

/**
 * Decides when to ask one published track for a keyframe (PLI). Requests are merged while one is
 * outstanding (sent, no keyframe seen since): the keyframe on its way serves every subscriber
 * that is already forwarding. Once a keyframe has arrived a new request goes out at once, unless
 * the previous one is younger than `intervalMs`, in which case one trailing request is sent when
 * the interval ends. Chromium's encoder ignores a request that comes less than 300 ms after the
 * previous one it honoured, so spacing sends closer is wasted; waiting a fixed 500 ms for every
 * request (the earlier design) made subscribers that joined one after another wait for nothing.
 * An outstanding request without answer after {@link KEYFRAME_RETRY_MS} is resent (lost PLI, or
 * one the encoder dropped), at most three times.
 */
export class KeyframeThrottle {
  /** Minimum interval between two sends, ms. */
  readonly intervalMs: number;

  readonly #send: () => void;
  readonly #now: () => number;
  #last = -Infinity;
  /** A request was sent and no keyframe has arrived since. */
  #outstanding = false;
  #retries = 0;
  #timer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Requests received (including those merged). */
  requested = 0;
  /** Requests actually sent (including resends). */
  sent = 0;

  /**
   * @param intervalMs minimum spacing of two sends, ms
   * @param send does the actual send (e.g. a PLI)
   * @param now clock in ms (injected by tests)
   */
  constructor(intervalMs: number, send: () => void, now: () => number = () => performance.now()) {
    this.intervalMs = intervalMs;
    this.#send = send;
    this.#now = now;
  }

  /** Asks for a keyframe: merged into an outstanding request, sent now, or sent when the interval ends. */
  request(): void {
    if (this.#closed) return;
    this.requested++;
    if (this.#timer !== undefined || this.#outstanding) return;
    const wait = this.#last + this.intervalMs - this.#now();
    if (wait <= 0) {
      this.#fire();
      return;
    }
    this.#timer = setTimeout(this.#onTimer, wait);
    this.#timer.unref();
  }

  /** The source sent a keyframe: the outstanding request, if any, is answered. */
  keyframeReceived(): void {
    this.#outstanding = false;
    this.#retries = 0;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  /** Cancels any pending send; further requests are ignored. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#timer = undefined;
    this.#retryTimer = undefined;
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    if (!this.#closed && !this.#outstanding) this.#fire();
  };

  readonly #onRetry = (): void => {
    this.#retryTimer = undefined;
    if (this.#closed || !this.#outstanding) return;
    if (this.#retries >= MAX_RETRIES) {
      this.#outstanding = false; // give up until somebody asks again
      this.#retries = 0;
      return;
    }
    this.#retries++;
    this.#fire();
  };

  #fire(): void {
    this.#last = this.#now();
    this.#outstanding = true;
    this.sent++;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(this.#onRetry, KEYFRAME_RETRY_MS);
    this.#retryTimer.unref();
    this.#send();
  }
}
