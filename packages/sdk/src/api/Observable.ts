import { log } from '../util/Logger.js';
import { EMIT, PARLEY_EVENTS } from './internal.js';

/** Event name → payload type, one per class (`undefined` for events without payload). */
export type EventPayloads = object;

// apiRTC listeners are plain functions of one payload.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- apps annotate the payload with their own types
type AnyListener = (payload?: any) => void;

/**
 * Base of every event-emitting apiRTC class (docs/sdk-reference.md#events-and-listeners).
 *
 * - `on(name, fn)` accepts only the names of the class's static `getAvailableEvents()`; any other
 *   name logs the error `No such event <name>` and adds nothing. It always returns `this`.
 * - Listeners run synchronously in registration order; one that throws is caught and logged so
 *   that it never breaks the SDK's state.
 * - Subclasses may mark events as replayable ({@link bufferUntilFirstListener}): emitted before any
 *   listener exists, they are kept and delivered to the first listener inside its `on()` call.
 */
export class Observable<E extends EventPayloads = Record<string, unknown>> {
  /** The exact list of event names the class accepts (apiRTC order). */
  static getAvailableEvents(): string[] {
    return [];
  }

  /** Parley extension events accepted too (not in apiRTC's list, so not in getAvailableEvents()). */
  static readonly [PARLEY_EVENTS]: readonly string[] = [];

  readonly #listeners = new Map<string, AnyListener[]>();
  /** Replay buffers, present only until the event's first listener arrives. */
  readonly #buffers = new Map<string, unknown[]>();

  /**
   * Adds `listener` for `eventType`. Unknown names are logged (error) and ignored.
   * @returns this, so calls chain.
   */
  on<K extends keyof E & string>(eventType: K, listener: (payload: E[K]) => void): this;
  on(eventType: string, listener: AnyListener): this;
  on(eventType: string, listener: AnyListener): this {
    if (!this.#accepts(eventType)) return this;
    if (typeof listener !== 'function') {
      log.error(`on(${eventType}) - listener is not a function`);
      return this;
    }
    const list = this.#listeners.get(eventType) ?? [];
    list.push(listener);
    this.#listeners.set(eventType, list);
    const buffered = this.#buffers.get(eventType);
    if (buffered) {
      this.#buffers.delete(eventType);
      for (const payload of buffered) this.#call(eventType, listener, payload);
    }
    this.onListenerAdded(eventType, listener);
    return this;
  }

  /**
   * Removes one listener added with {@link on} (same name check).
   * @returns this.
   */
  removeListener<K extends keyof E & string>(eventType: K, listener: (payload: E[K]) => void): this;
  removeListener(eventType: string, listener: AnyListener): this;
  removeListener(eventType: string, listener: AnyListener): this {
    if (!this.#accepts(eventType)) return this;
    const list = this.#listeners.get(eventType);
    const i = list ? list.indexOf(listener) : -1;
    if (list && i >= 0) list.splice(i, 1);
    return this;
  }

  /** Number of listeners currently attached to `eventType`. */
  protected listenerCount(eventType: string): number {
    return this.#listeners.get(eventType)?.length ?? 0;
  }

  /**
   * Makes `eventType` replayable: until its first listener is attached, emitted payloads are
   * queued and then delivered to that listener, in order, inside `on()`. Call from the constructor.
   */
  protected bufferUntilFirstListener(eventType: keyof E & string): void {
    if (this.listenerCount(eventType) === 0) this.#buffers.set(eventType, []);
  }

  /** Hook for subclasses with a custom replay rule (UserAgent `mediaDeviceChanged`). */
  protected onListenerAdded(_eventType: string, _listener: AnyListener): void {
    // Nothing by default.
  }

  /** Delivers `payload` to one listener only, with the usual exception guard. */
  protected emitTo(eventType: keyof E & string, listener: AnyListener, payload: unknown): void {
    this.#call(eventType, listener, payload);
  }

  /**
   * Emits `eventType` to its listeners (or queues it when the event is replayable and has none
   * yet). A listener that throws is logged and the others still run.
   */
  protected emit<K extends keyof E & string>(eventType: K, ...payload: E[K] extends undefined ? [] : [E[K]]): void {
    const value: unknown = payload[0];
    const buffer = this.#buffers.get(eventType);
    if (buffer) {
      buffer.push(value);
      return;
    }
    const list = this.#listeners.get(eventType);
    if (!list || list.length === 0) return;
    for (const listener of [...list]) this.#call(eventType, listener, value);
  }

  /** SDK-internal: lets other SDK classes emit this object's events (see `internal.ts`). */
  [EMIT]<K extends keyof E & string>(eventType: K, ...payload: E[K] extends undefined ? [] : [E[K]]): void {
    this.emit(eventType, ...payload);
  }

  #accepts(eventType: string): boolean {
    const cls = this.constructor as typeof Observable;
    if (cls.getAvailableEvents().includes(eventType) || cls[PARLEY_EVENTS].includes(eventType)) return true;
    log.error(`No such event ${eventType}`);
    return false;
  }

  #call(eventType: string, listener: AnyListener, payload: unknown): void {
    try {
      if (payload === undefined) listener();
      else listener(payload);
    } catch (err) {
      log.error(`listener of "${eventType}" threw`, err);
    }
  }
}
