/**
 * A minimal typed event emitter for the media plane.
 *
 * Every class in `media/` has exactly one event map. `emit` is "safe" (as mediasoup's
 * `safeEmit`): a throwing listener is reported through {@link Emitter.onListenerError} and never
 * corrupts the emitter's state or stops the other listeners.
 */
export type EventMap<E> = { [K in keyof E]: unknown[] };

type Listener<A extends unknown[]> = (...args: A) => void;
/** Listeners are stored type-erased; `on`/`emit` keep them paired with their event's arguments. */
type AnyListener = (...args: unknown[]) => void;

export class Emitter<E extends EventMap<E>> {
  /** Where listener exceptions go. Replace it to route them to a logger. */
  static onListenerError: (error: unknown, event: string) => void = (error, event) => {
    // eslint-disable-next-line no-console -- the fallback before server.ts installs the pino logger (unit tests)
    console.error(`media: listener for "${event}" threw`, error);
  };

  readonly #listeners = new Map<keyof E, AnyListener[]>();

  /** Adds a listener; returns `this` for chaining. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
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
    const list = this.#listeners.get(event);
    if (!list) return this;
    const i = list.indexOf(listener as unknown as AnyListener);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#listeners.delete(event);
    return this;
  }

  /** Number of listeners for `event`. */
  listenerCount(event: keyof E): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /** Removes every listener (called by `close()` after the final events). */
  protected removeAllListeners(): void {
    this.#listeners.clear();
  }

  /** Calls every listener of `event` in order; a throwing listener is reported, not rethrown. */
  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const list = this.#listeners.get(event);
    if (!list) return;
    // Copy: a listener may remove itself (once) while we iterate. Events are control-plane only.
    for (const listener of list.slice()) {
      try {
        (listener as unknown as Listener<E[K]>)(...args);
      } catch (error) {
        Emitter.onListenerError(error, String(event));
      }
    }
  }
}
