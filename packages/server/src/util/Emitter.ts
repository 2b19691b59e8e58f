/**
 * The server's one typed event emitter: one event map per class. Listeners are stored lazily
 * (most instances never get one, and the server keeps tens of thousands of them). `emit` is
 * "safe" (as mediasoup's `safeEmit`): a throwing listener goes to the emitter's
 * {@link ListenerErrorSink} and never corrupts the emitter or stops the other listeners.
 *
 * Lives in `util/` so that every layer, the media plane included, may use it.
 */
export type EventMap<E> = { [K in keyof E]: unknown[] };

/** Where an exception of a listener (or of a callback run outside any caller) is reported. */
export type ListenerErrorSink = (error: unknown, event: string) => void;

type Listener<A extends unknown[]> = (...args: A) => void;
/** Listeners of different events have different signatures: stored type-erased, typed at the API. */
type AnyListener = (...args: unknown[]) => void;

/**
 * Used when the creator injected no sink (unit tests, a library user): a process warning, so
 * that the error is neither lost nor printed past the logger of a server that has one.
 */
export const warnListenerError: ListenerErrorSink = (error, event) => {
  process.emitWarning(`listener of '${event}' threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
};

export class Emitter<E extends EventMap<E>> {
  /** Where listener exceptions go (injected by the creator, e.g. a pino logger's `error`). */
  readonly errorSink: ListenerErrorSink;
  #listeners: Map<keyof E, AnyListener[]> | undefined;

  constructor(errorSink: ListenerErrorSink = warnListenerError) {
    this.errorSink = errorSink;
  }

  /** Adds a listener; returns `this` for chaining. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    this.#listeners ??= new Map();
    const list = this.#listeners.get(event);
    if (list) list.push(listener as unknown as AnyListener);
    else this.#listeners.set(event, [listener as unknown as AnyListener]);
    return this;
  }

  /** Adds a listener removed after its first call. */
  once<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    const wrapper = (...args: E[K]): void => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  /** Removes a listener added with {@link on}. Unknown listeners are ignored. */
  off<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    const list = this.#listeners?.get(event);
    if (!list) return this;
    const i = list.indexOf(listener as unknown as AnyListener);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#listeners?.delete(event);
    return this;
  }

  /** Number of listeners for `event`. */
  listenerCount(event: keyof E): number {
    return this.#listeners?.get(event)?.length ?? 0;
  }

  /** Removes every listener (called by `close()` after the final events). */
  protected removeAllListeners(): void {
    this.#listeners = undefined;
  }

  /** Calls every listener of `event` in order; a throwing listener is reported, not rethrown. */
  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const list = this.#listeners?.get(event);
    if (!list) return;
    // Copy: a listener may remove itself (once) while we iterate. Events are control-plane only.
    for (const listener of list.slice()) {
      try {
        (listener as unknown as Listener<E[K]>)(...args);
      } catch (error) {
        this.errorSink(error, String(event));
      }
    }
  }
}
