import { Ring } from './Ring.js';

/**
 * The events of one session, numbered by `seq` (1, 2, …), with the last ones kept for replay
 * on resume.
 *
 * Events are stored as their *tail*: the JSON text without the opening brace and without
 * `seq`. The wire form is `{"seq":N,` + tail. Presence fan-out builds one tail for many
 * watchers, so the strings kept here are largely shared between sessions.
 *
 * Bounded by a count and by a total of characters (the oldest events go first; the newest
 * event is always kept). When a resuming client asks for an event no longer here, the resume
 * fails and the client registers again.
 */
export class ReplayBuffer {
  readonly #ring: Ring<string>;
  readonly #maxChars: number;
  #chars = 0;
  #lastSeq = 0;

  /**
   * @param capacity events kept (protocol: 512)
   * @param maxChars total length of the kept tails, in UTF-16 code units
   */
  constructor(capacity: number, maxChars: number) {
    this.#ring = new Ring(capacity);
    this.#maxChars = maxChars;
  }

  /** Seq of the last event pushed; 0 before the first. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Events currently kept. */
  get size(): number {
    return this.#ring.length;
  }

  /** Records the event and returns its seq. */
  push(tail: string): number {
    const evicted = this.#ring.push(tail);
    this.#chars += tail.length - (evicted?.length ?? 0);
    while (this.#chars > this.#maxChars && this.#ring.length > 1) {
      this.#chars -= (this.#ring.shift() as string).length;
    }
    return ++this.#lastSeq;
  }

  /**
   * Wire texts of every event with seq > `lastSeq`, oldest first, or null when that cannot be
   * done: some of them were dropped, or `lastSeq` is ahead of what was sent.
   */
  after(lastSeq: number): string[] | null {
    if (!Number.isInteger(lastSeq) || lastSeq < 0 || lastSeq > this.#lastSeq) return null;
    const firstKept = this.#lastSeq - this.#ring.length + 1;
    if (lastSeq + 1 < firstKept) return null;
    const out: string[] = [];
    for (let seq = lastSeq + 1; seq <= this.#lastSeq; seq++) {
      out.push(wireOf(seq, this.#ring.at(seq - firstKept) as string));
    }
    return out;
  }

  /** Drops the kept events (the seq counter goes on). */
  clear(): void {
    this.#ring.clear();
    this.#chars = 0;
  }
}

/** The wire text of an event from its seq and tail. */
export function wireOf(seq: number, tail: string): string {
  return '{"seq":' + seq + ',' + tail;
}

/** The tail of a serialized JSON object (its text without the opening brace). */
export function tailOf(json: string): string {
  return json.slice(1);
}
