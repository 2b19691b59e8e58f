import { Ring } from './Ring.js';

/**
 * Answers to the last requests of a session, by request id, so that a request sent again
 * after a resume gets its original answer instead of running twice.
 *
 * Stored as two rings in lockstep (ids, answers) rather than a Map: a few hundred bytes per
 * busy session instead of a hash table, and a session that only pings allocates nothing.
 */
export class AnswerCache {
  readonly #ids: Ring<number>;
  readonly #answers: Ring<string>;
  /** Largest id stored: the SDK counts up, so any larger id is new without a scan. */
  #maxId = -1;

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

  /** Remembers the wire answer to request `id`, evicting the oldest beyond capacity. */
  set(id: number, answer: string): void {
    this.#ids.push(id);
    this.#answers.push(answer);
    if (id > this.#maxId) this.#maxId = id;
  }
}
