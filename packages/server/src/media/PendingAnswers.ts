import { ErrorCode, ParleyError } from '@parley/protocol';

interface Pending {
  resolve: (sdp: string) => void;
  reject: (error: ParleyError) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The answers a publishing connection owes, oldest first. libdatachannel produces one local
 * answer per remote offer, in order, so the transport (the only place that knows which offer an
 * answer belongs to) hands each offer a promise and settles them here.
 */
export class PendingAnswers {
  readonly #pending: Pending[] = [];

  /** Offers waiting for their answer. */
  get size(): number {
    return this.#pending.length;
  }

  /**
   * A promise for the answer to the offer being applied; fails with code 11 after `timeoutMs`
   * (never when undefined). Marked as handled: a caller may ignore it.
   */
  add(timeoutMs: number | undefined): Promise<string> {
    const answer = new Promise<string>((resolve, reject) => {
      const entry: Pending = { resolve, reject, timer: undefined };
      if (timeoutMs !== undefined) {
        entry.timer = setTimeout(() => {
          this.#remove(entry);
          reject(new ParleyError(ErrorCode.TIMED_OUT, 'no answer from the media server'));
        }, timeoutMs);
        entry.timer.unref();
      }
      this.#pending.push(entry);
    });
    answer.catch(() => undefined);
    return answer;
  }

  /** The offer just added was refused before it was applied: it gets no answer. */
  cancelLast(): void {
    const entry = this.#pending.pop();
    if (entry) clearTimeout(entry.timer);
  }

  /** The connection answered: settles the oldest offer. */
  resolveOldest(sdp: string): void {
    const entry = this.#pending.shift();
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.resolve(sdp);
  }

  /** The connection closed: every waiting offer fails with code 16. */
  rejectAll(): void {
    for (const entry of this.#pending.splice(0)) {
      clearTimeout(entry.timer);
      entry.reject(new ParleyError(ErrorCode.WRONG_STATE, 'media connection closed'));
    }
  }

  #remove(entry: Pending): void {
    const i = this.#pending.indexOf(entry);
    if (i >= 0) this.#pending.splice(i, 1);
  }
}
