/**
 * Decides when one PeerConnection has failed: at once when libdatachannel reports `failed`, or
 * when it stays unconnected (`new`/`connecting` after its first description, `disconnected`
 * later) for `timeoutMs`. A browser that never completes ICE (or went away without a word)
 * would otherwise keep the connection, its socket and its port for as long as the participant
 * stays in the room.
 */
export class ConnectionWatchdog {
  readonly #timeoutMs: number;
  readonly #onFailed: (reason: string) => void;
  #timer: NodeJS.Timeout | undefined;
  #started = false;
  #connected = false;
  #done = false;

  /** @param onFailed called at most once */
  constructor(timeoutMs: number, onFailed: (reason: string) => void) {
    this.#timeoutMs = timeoutMs;
    this.#onFailed = onFailed;
  }

  /** The first description was applied: from now on the connection is expected to connect. */
  start(): void {
    if (this.#started || this.#done) return;
    this.#started = true;
    if (!this.#connected) this.#arm('not connected after');
  }

  /** A `PeerConnection.onStateChange` state. */
  stateChanged(state: string): void {
    if (this.#done) return;
    if (state === 'connected') {
      this.#connected = true;
      this.#disarm();
    } else if (state === 'failed') {
      this.#fire('ICE/DTLS failed');
    } else if (state === 'disconnected') {
      this.#connected = false;
      this.#arm('disconnected for');
    } else if (state !== 'closed' && this.#started && !this.#connected) {
      this.#arm('not connected after');
    }
  }

  /** Stops watching (the connection closed). Idempotent. */
  close(): void {
    this.#done = true;
    this.#disarm();
  }

  #arm(reason: string): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#fire(`${reason} ${this.#timeoutMs} ms`);
    }, this.#timeoutMs);
    this.#timer.unref();
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(reason: string): void {
    if (this.#done) return;
    this.close();
    this.#onFailed(reason);
  }
}
