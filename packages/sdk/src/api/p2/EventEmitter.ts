import { log } from '../../util/Logger.js';

type Fn = (...args: unknown[]) => unknown;
interface Wrapped {
  listener: Fn;
  once: boolean;
}

/**
 * The classic wolfy87 EventEmitter API exposed as `apiRTC.utils.EventEmitter` (P2). Not used for
 * SDK object events (those go through Observable). Regular-expression event names are not supported.
 */
export class EventEmitter {
  readonly #events = new Map<string, Wrapped[]>();
  #onceReturnValue: unknown = true;

  /** No Observable events. */
  static getAvailableEvents(): string[] {
    return [];
  }

  /** Listeners of `evt`. */
  getListeners(evt: string): Wrapped[] {
    let list = this.#events.get(evt);
    if (!list) this.#events.set(evt, (list = []));
    return list;
  }

  /** Listener functions of wrapped listener records. */
  flattenListeners(listeners: Wrapped[]): Fn[] {
    return listeners.map((w) => w.listener);
  }

  /** `{[evt]: listeners}`. */
  getListenersAsObject(evt: string): Record<string, Wrapped[]> {
    return { [evt]: this.getListeners(evt) };
  }

  addListener(evt: string, listener: Fn): this {
    const list = this.getListeners(evt);
    if (!list.some((w) => w.listener === listener)) list.push({ listener, once: false });
    return this;
  }

  on(evt: string, listener: Fn): this {
    return this.addListener(evt, listener);
  }

  addOnceListener(evt: string, listener: Fn): this {
    const list = this.getListeners(evt);
    if (!list.some((w) => w.listener === listener)) list.push({ listener, once: true });
    return this;
  }

  once(evt: string, listener: Fn): this {
    return this.addOnceListener(evt, listener);
  }

  defineEvent(evt: string): this {
    this.getListeners(evt);
    return this;
  }

  removeListener(evt: string, listener: Fn): this {
    const list = this.#events.get(evt);
    const i = list?.findIndex((w) => w.listener === listener) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
    return this;
  }

  off(evt: string, listener: Fn): this {
    return this.removeListener(evt, listener);
  }

  addListeners(evt: string, listeners: Fn[]): this {
    return this.manipulateListeners(false, evt, listeners);
  }

  removeListeners(evt: string, listeners: Fn[]): this {
    return this.manipulateListeners(true, evt, listeners);
  }

  manipulateListeners(remove: boolean, evt: string, listeners: Fn[]): this {
    for (const l of listeners) {
      if (remove) this.removeListener(evt, l);
      else this.addListener(evt, l);
    }
    return this;
  }

  /** Removes every listener of `evt`, or of every event without argument. */
  removeEvent(evt?: string): this {
    if (evt === undefined) this.#events.clear();
    else this.#events.delete(evt);
    return this;
  }

  removeAllListeners(evt?: string): this {
    return this.removeEvent(evt);
  }

  /** Calls the listeners of `evt` with `args`; once-listeners and those returning the once value are removed. */
  emitEvent(evt: string, args: unknown[] = []): this {
    for (const w of [...(this.#events.get(evt) ?? [])]) {
      if (w.once) this.removeListener(evt, w.listener);
      try {
        if (w.listener(...args) === this.#onceReturnValue) this.removeListener(evt, w.listener);
      } catch (err) {
        log.error(`EventEmitter listener of "${evt}" threw`, err);
      }
    }
    return this;
  }

  trigger(evt: string, args?: unknown[]): this {
    return this.emitEvent(evt, args);
  }

  emit(evt: string, ...args: unknown[]): this {
    return this.emitEvent(evt, args);
  }

  setOnceReturnValue(value: unknown): this {
    this.#onceReturnValue = value;
    return this;
  }
}
