/**
 * Minimal typed event emitter: one event map per class, listeners stored lazily (most
 * instances never get a listener, and the server keeps tens of thousands of them), and a
 * listener that throws never interrupts the emitter or the other listeners.
 */
export type EventMap<E> = { [K in keyof E]: unknown[] };

type Listener<A extends unknown[]> = (...args: A) => void;

export class Observable<E extends EventMap<E>> {
  // Listeners of different events have different signatures; stored untyped, typed at the API.
  #listeners: Map<keyof E, Set<unknown>> | undefined;

  /** Adds `listener` for `event`. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    this.#listeners ??= new Map();
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return this;
  }

  /** Removes `listener` from `event`; unknown listeners are ignored. */
  off<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    this.#listeners?.get(event)?.delete(listener);
    return this;
  }

  /** Removes every listener (used by `close()` implementations). */
  protected removeAllListeners(): void {
    this.#listeners = undefined;
  }

  /**
   * Calls the listeners of `event` in registration order. A throwing listener is reported
   * through {@link Observable.onListenerError} and does not stop the others.
   */
  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.#listeners?.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<E[K]>)(...args);
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }

  /** Hook for reporting listener exceptions; subclasses with a logger override it. */
  protected onListenerError(event: keyof E, error: unknown): void {
    process.emitWarning(`listener of '${String(event)}' threw: ${String(error)}`);
  }
}
