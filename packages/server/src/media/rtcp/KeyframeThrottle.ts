/**
 * Rate-limits keyframe requests towards one published track: at most one per `intervalMs`
 * (≥ 500 ms). A request inside the quiet period is not lost: one trailing request is sent when
 * the period ends, so a subscriber that joined just after a keyframe still gets one promptly,
 * and twenty subscribers asking at once cost the publisher one keyframe.
 */
export class KeyframeThrottle {
  /** Minimum interval between two requests, ms. */
  readonly intervalMs: number;

  readonly #send: () => void;
  readonly #now: () => number;
  #last = -Infinity;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Requests received (including those merged). */
  requested = 0;
  /** Requests actually sent. */
  sent = 0;

  /**
   * @param intervalMs minimum spacing of two sends, ms
   * @param send does the actual send (e.g. a PLI); called at most once per interval
   * @param now clock in ms (injected by tests)
   */
  constructor(intervalMs: number, send: () => void, now: () => number = () => performance.now()) {
    this.intervalMs = intervalMs;
    this.#send = send;
    this.#now = now;
  }

  /** Asks for a keyframe: sent now if the last one is older than the interval, else deferred. */
  request(): void {
    if (this.#closed) return;
    this.requested++;
    if (this.#timer !== undefined) return; // a trailing send is already scheduled
    const wait = this.#last + this.intervalMs - this.#now();
    if (wait <= 0) {
      this.#fire();
      return;
    }
    this.#timer = setTimeout(this.#onTimer, wait);
    this.#timer.unref();
  }

  /** Cancels any pending request; further requests are ignored. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    if (!this.#closed) this.#fire();
  };

  #fire(): void {
    this.#last = this.#now();
    this.sent++;
    this.#send();
  }
}
