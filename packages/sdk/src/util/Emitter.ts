import { log } from './Logger.js';

/** Event name → listener argument tuple, e.g. `{ close: [code: number] }`. */
export type EventMap<E> = { [K in keyof E]: unknown[] };

type Listener<A extends unknown[]> = (...args: A) => void;

/**
 * Small typed emitter for internal classes (engine, device manager). Listeners run
 * synchronously in registration order; one that throws is logged and never stops the others or
 * corrupts the emitter's caller.
 */
export class Emitter<E extends EventMap<E>> {
  readonly #listeners = new Map<keyof E, Listener<never>[]>();

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof E>(name: K, listener: Listener<E[K]>): () => void {
    const list = this.#listeners.get(name) ?? [];
    list.push(listener);
    this.#listeners.set(name, list);
    return () => this.off(name, listener);
  }

  /** Removes one listener added with {@link on}. */
  off<K extends keyof E>(name: K, listener: Listener<E[K]>): void {
    const list = this.#listeners.get(name);
    if (!list) return;
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
  }

  /** Removes every listener. */
  removeAllListeners(): void {
    this.#listeners.clear();
  }

  /** Calls the listeners of `name` with `args`, catching and logging their exceptions. */
  protected emit<K extends keyof E>(name: K, ...args: E[K]): void {
    const list = this.#listeners.get(name);
    if (!list || list.length === 0) return;
    for (const listener of [...list]) {
      try {
        (listener as Listener<E[K]>)(...args);
      } catch (err) {
        log.error(`listener of "${String(name)}" threw`, err);
      }
    }
  }
}
