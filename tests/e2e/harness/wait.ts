/** Options of {@link pollUntil}. */
export interface PollOptions {
  /** Give up after this long, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Pause between attempts, in ms. Default 50. */
  intervalMs?: number;
  /** What is being waited for, for the timeout message. */
  what?: string;
}

/**
 * Bounded polling: calls `check` until it returns a truthy value and resolves that value.
 * Rejects with `timed out waiting for <what>` after `timeoutMs`. Errors thrown by `check` abort
 * the wait at once (use them for "this can never become true any more").
 */
export async function pollUntil<T>(check: () => T | Promise<T>, options: PollOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? 'condition'}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
