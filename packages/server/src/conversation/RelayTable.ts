import { ErrorCode, ParleyError } from '@parley/protocol';

/** Data of a successful `conv.relay`. */
export interface RelayResult {
  result: unknown;
}

interface PendingRelay<S> {
  /** What the relay belongs to (the conversation), so leaving one does not drop the others. */
  scope: unknown;
  requester: S;
  publisher: S;
  resolve: (result: RelayResult) => void;
  reject: (error: ParleyError) => void;
  timer: NodeJS.Timeout;
}

/**
 * Relays waiting for the publisher's `conv.relayAnswer`, by relay id. Each one settles exactly
 * once: with the publisher's answer, with code 11 after the timeout, or never when the requester
 * is gone (nobody would read the answer). `S` is the session type (generic for unit tests).
 */
export class RelayTable<S> {
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, PendingRelay<S>>();
  /** Relays waiting, by requester (a requester with none has no entry). */
  readonly #perRequester = new Map<S, number>();
  #nextId = 1;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Relays waiting for an answer. */
  get size(): number {
    return this.#pending.size;
  }

  /** Relays `requester` opened that wait for an answer. */
  pendingOf(requester: S): number {
    return this.#perRequester.get(requester) ?? 0;
  }

  /**
   * Opens a relay from `requester` to `publisher`.
   * @returns its id (for the `conv.relayRequest` event) and the promise of the requester's answer
   */
  open(requester: S, publisher: S, scope: unknown = null): { relayId: number; answer: Promise<RelayResult> } {
    const relayId = this.#nextId++;
    const answer = new Promise<RelayResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#forget(relayId);
        reject(new ParleyError(ErrorCode.TIMED_OUT, 'relay timed out'));
      }, this.#timeoutMs);
      timer.unref();
      this.#pending.set(relayId, { scope, requester, publisher, resolve, reject, timer });
      this.#perRequester.set(requester, this.pendingOf(requester) + 1);
    });
    return { relayId, answer };
  }

  /**
   * Settles relay `relayId` with the publisher's answer.
   * @throws ParleyError code 8 when no such relay waits for `publisher` (late, or not its relay)
   */
  answer(publisher: S, relayId: number, ok: boolean, result: unknown, error: string | undefined): void {
    const pending = this.#pending.get(relayId);
    if (!pending || pending.publisher !== publisher) throw new ParleyError(ErrorCode.NOT_FOUND, 'relay not found');
    this.#forget(relayId);
    clearTimeout(pending.timer);
    if (ok) pending.resolve({ result });
    else pending.reject(new ParleyError(ErrorCode.OTHER, error ?? 'relay failed'));
  }

  /**
   * Forgets every relay involving `session`: its own requests are dropped unanswered, requests
   * waiting for it as publisher fail with code 8 right away instead of timing out. With a
   * `scope`, only the relays opened with that scope.
   */
  drop(session: S, scope?: unknown): void {
    for (const [id, pending] of this.#pending) {
      if (scope !== undefined && pending.scope !== scope) continue;
      if (pending.requester === session) {
        clearTimeout(pending.timer);
        this.#forget(id);
      } else if (pending.publisher === session) {
        clearTimeout(pending.timer);
        this.#forget(id);
        pending.reject(new ParleyError(ErrorCode.NOT_FOUND, 'publisher left'));
      }
    }
  }

  /** Drops everything unanswered (shutdown); idempotent. */
  close(): void {
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    this.#pending.clear();
    this.#perRequester.clear();
  }

  #forget(relayId: number): void {
    const pending = this.#pending.get(relayId);
    if (!pending) return;
    this.#pending.delete(relayId);
    const left = this.pendingOf(pending.requester) - 1;
    if (left > 0) this.#perRequester.set(pending.requester, left);
    else this.#perRequester.delete(pending.requester);
  }
}
