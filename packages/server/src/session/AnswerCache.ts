import { Ring } from './Ring.js';

/**
 * Answers to the last requests of a session, by request id, so that a request sent again
 * after a resume gets its original answer instead of running twice; and the ids of requests
 * still running (asynchronous handlers), so that one sent again while it runs is not started a
 * second time: its answer goes out once, when it settles.
 *
 * Stored as two rings in lockstep (ids, answers) rather than a Map: a few hundred bytes per
 * busy session instead of a hash table, and a session that only pings allocates nothing.
 */
export class AnswerCache {
  readonly #ids: Ring<number>;
  readonly #answers: Ring<string>;
  /** Largest id stored: the SDK counts up, so any larger id is new without a scan. */
  #maxId = -1;
  /**
   * Ids of requests in flight, oldest first. Bounded by the capacity too: a request whose
   * promise never settles (a relay whose requester left the conversation) must not pin memory;
   * beyond the bound the oldest id is forgotten, and only that one could then run twice.
   */
  #inFlight: Set<number> | null = null;

  /** @param capacity answers kept (protocol: 128) */
  constructor(capacity: number) {
    this.#ids = new Ring(capacity);
    this.#answers = new Ring(capacity);
  }

  /** Number of answers kept. */
  get size(): number {
    return this.#ids.length;
  }

  /** The stored wire answer to request `id`, or undefined. */
  get(id: number): string | undefined {
    if (id > this.#maxId) return undefined;
    const ids = this.#ids;
    for (let i = ids.length - 1; i >= 0; i--) {
      if (ids.at(i) === id) return this.#answers.at(i);
    }
    return undefined;
  }

  /** Whether request `id` was started and has not been answered yet. */
  isInFlight(id: number): boolean {
    return this.#inFlight?.has(id) ?? false;
  }

  /** Records that request `id` started and will be answered later (see {@link set}). */
  begin(id: number): void {
    this.#inFlight ??= new Set();
    this.#inFlight.add(id);
    if (this.#inFlight.size > this.#ids.capacity) {
      const oldest = this.#inFlight.values().next().value as number;
      this.#inFlight.delete(oldest);
    }
  }

  /** Remembers the wire answer to request `id` (no longer in flight), evicting the oldest beyond capacity. */
  set(id: number, answer: string): void {
    if (this.#inFlight?.delete(id) && this.#inFlight.size === 0) this.#inFlight = null;
    this.#ids.push(id);
    this.#answers.push(answer);
    if (id > this.#maxId) this.#maxId = id;
  }
}
