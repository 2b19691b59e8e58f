import type { AnswerError, AnswerOk, ClientMessage } from '@parley/protocol';
import { ErrorCode } from '@parley/protocol';
import type { AnswerOf } from '../util/messages.js';
import { log } from '../util/Logger.js';
import { RequestError } from './RequestError.js';

/** Options of one tracked request. */
export interface TrackOptions {
  /** Rejects with kind `timeout` after this many ms without an answer (none by default). */
  timeoutMs?: number;
  /**
   * Volatile requests (pings) are failed when the socket drops instead of being sent again on
   * the next socket: their answer only means something on the socket they were sent on.
   */
  volatile?: boolean;
}

interface Entry {
  message: ClientMessage;
  volatile: boolean;
  /** Written to a socket at least once (the server may have run it). */
  sent: boolean;
  resolve: (data: unknown) => void;
  reject: (err: RequestError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Request/answer correlation (protocol envelope): ids count up from 1 within the SDK, and each
 * request is settled exactly once — by the first answer carrying its id, its timeout, or the end
 * of the session. A late or repeated answer for a settled id is ignored.
 */
export class RequestTracker {
  #nextId = 1;
  readonly #pending = new Map<number, Entry>();

  /** Allocates the next request id. */
  nextId(): number {
    return this.#nextId++;
  }

  /** Requests without an answer yet. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Starts tracking `message` (which carries its id); resolves with the answer's `data`, which
   * must be absent or an object (anything else rejects, kind `invalid`). Its fields are taken as
   * the protocol's result type says: see decodeServerFrame.ts for why the client does not run the
   * protocol's schemas.
   */
  track<M extends ClientMessage>(message: M, options: TrackOptions = {}): Promise<AnswerOf<M['type']>> {
    return new Promise<AnswerOf<M['type']>>((resolve, reject) => {
      // Entries of every type share one map: settle() resolves with the answer to this entry's
      // own id, whose data the server built for this request type.
      const entry: Entry = { message, volatile: options.volatile ?? false, sent: false, resolve: resolve as (data: unknown) => void, reject, timer: undefined };
      if (options.timeoutMs !== undefined) {
        entry.timer = setTimeout(() => {
          this.#settle(message.id, (e) => e.reject(new RequestError('timeout', ErrorCode.TIMED_OUT, `${message.type} timed out`)));
        }, options.timeoutMs);
      }
      this.#pending.set(message.id, entry);
    });
  }

  /** Records that request `id` was written to a socket. */
  markSent(id: number): void {
    const entry = this.#pending.get(id);
    if (entry) entry.sent = true;
  }

  /**
   * Settles the request an answer refers to.
   * @returns false when no pending request has that id (late, repeated or foreign answer).
   */
  settle(answer: AnswerOk | AnswerError): boolean {
    return this.#settle(answer.re, (e) => {
      if (answer.ok) {
        const data: unknown = answer.data;
        if (data === undefined || (typeof data === 'object' && data !== null && !Array.isArray(data))) e.resolve(data);
        else e.reject(new RequestError('invalid', ErrorCode.OTHER, `malformed answer to ${e.message.type}: data is not an object`));
      } else e.reject(new RequestError('answer', answer.error.code, answer.error.message));
    });
  }

  /**
   * Non-volatile messages still waiting for an answer, oldest first: what to send again, with the
   * same ids, on the next socket (the server answers a repeated id from memory).
   */
  unanswered(): ClientMessage[] {
    return [...this.#pending.values()]
      .filter((e) => !e.volatile)
      .map((e) => e.message)
      .sort((a, b) => a.id - b.id);
  }

  /** Resolves (with no data) the pending requests `predicate` selects, without an answer. */
  resolveWhere(predicate: (message: ClientMessage) => boolean): void {
    for (const [id, entry] of [...this.#pending]) {
      if (predicate(entry.message)) this.#settle(id, (e) => e.resolve(undefined));
    }
  }

  /** Fails the volatile requests (the socket they were sent on is gone). */
  failVolatile(message: string): void {
    for (const [id, entry] of [...this.#pending]) {
      if (entry.volatile) this.#settle(id, (e) => e.reject(new RequestError('closed', ErrorCode.OTHER, message)));
    }
  }

  /**
   * Fails the pending requests that were already sent (on a session that is gone: the server
   * may or may not have run them, and the new session cannot tell). Requests never sent stay.
   */
  failSent(message: string): void {
    for (const [id, entry] of [...this.#pending]) {
      if (entry.sent) this.#settle(id, (e) => e.reject(new RequestError('closed', ErrorCode.OTHER, message)));
    }
  }

  /** Fails every pending request (the session is over). */
  failAll(message: string): void {
    for (const id of [...this.#pending.keys()]) {
      this.#settle(id, (e) => e.reject(new RequestError('closed', ErrorCode.OTHER, message)));
    }
  }

  #settle(id: number, how: (entry: Entry) => void): boolean {
    const entry = this.#pending.get(id);
    if (!entry) {
      log.debug(`answer for unknown or settled request ${id} ignored`);
      return false;
    }
    this.#pending.delete(id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    how(entry);
    return true;
  }
}
