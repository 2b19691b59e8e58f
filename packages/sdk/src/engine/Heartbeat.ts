/**
 * Application-level ping (protocol: Heartbeat): every `intervalMs` it calls `ping`; when a ping
 * fails with a timeout the socket is taken as dead and `onDead` runs once. Needed because a
 * half-open TCP connection (laptop sleep, Wi-Fi change) can stay "open" for minutes.
 */
export class Heartbeat {
  readonly #ping: () => Promise<unknown>;
  readonly #isTimeout: (err: unknown) => boolean;
  readonly #onDead: () => void;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(ping: () => Promise<unknown>, isTimeout: (err: unknown) => boolean, onDead: () => void) {
    this.#ping = ping;
    this.#isTimeout = isTimeout;
    this.#onDead = onDead;
  }

  /** (Re)starts pinging every `intervalMs`. */
  start(intervalMs: number): void {
    this.stop();
    const timer = setInterval(() => {
      this.#ping().catch((err: unknown) => {
        // Only the beat that is still running may declare the socket dead.
        if (this.#timer === timer && this.#isTimeout(err)) {
          this.stop();
          this.#onDead();
        }
      });
    }, intervalMs);
    this.#timer = timer;
  }

  /** Stops pinging. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
