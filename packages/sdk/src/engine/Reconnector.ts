import { Backoff } from './Backoff.js';
import { ConnectError } from './ConnectError.js';

/** What one reconnection needs from the Engine. */
export interface ReconnectSteps {
  /**
   * One attempt (open a socket, resume or register again). Rejecting with a `refused`
   * ConnectError ends the reconnection; any other failure schedules another attempt.
   */
  attempt(): Promise<void>;
  /** An attempt is scheduled (apiRTC reports each one: `retry` + `reconnecting`). */
  scheduled(): void;
  /** No more attempts: refused or `ccsConnectionRetryNb` exhausted. */
  giveUp(reason: string): void;
}

/** Options of a {@link Reconnector}. */
export interface ReconnectOptions {
  /** `ccsConnectionRetryDelay`: first delay in ms. */
  initialDelayMs: number;
  /** `ccsConnectionRetryNb`: attempts before giving up (default unlimited). */
  maxRetries?: number;
}

/**
 * The retry policy of docs/sdk-reference.md#connection-loss-and-reconnection: attempts spaced by a growing, jittered delay (×1.5 up to 5 s),
 * at most `maxRetries` of them, until one succeeds or is refused.
 */
export class Reconnector {
  readonly #steps: ReconnectSteps;
  readonly #backoff: Backoff;
  readonly #maxRetries: number | undefined;
  #retries = 0;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(steps: ReconnectSteps, options: ReconnectOptions) {
    this.#steps = steps;
    this.#backoff = new Backoff({ initialMs: options.initialDelayMs });
    this.#maxRetries = options.maxRetries;
  }

  /** True between {@link start} and success, give-up or {@link stop}. */
  get running(): boolean {
    return this.#running;
  }

  /** Starts a reconnection from the first delay. */
  start(): void {
    this.stop();
    this.#running = true;
    this.#retries = 0;
    this.#backoff.reset();
    this.#schedule();
  }

  /** Cancels any scheduled attempt (closed for good meanwhile). */
  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (!this.#running) return;
    if (this.#maxRetries !== undefined && this.#retries >= this.#maxRetries) {
      this.#running = false;
      this.#steps.giveUp('reconnection attempts exhausted');
      return;
    }
    this.#retries++;
    this.#steps.scheduled();
    this.#timer = setTimeout(() => void this.#run(), this.#backoff.next());
  }

  async #run(): Promise<void> {
    this.#timer = undefined;
    try {
      await this.#steps.attempt();
      this.#running = false;
    } catch (err) {
      if (!this.#running) return;
      if (err instanceof ConnectError && err.kind === 'refused') {
        this.#running = false;
        this.#steps.giveUp(`registration refused: ${err.message}`);
      } else {
        this.#schedule();
      }
    }
  }
}
