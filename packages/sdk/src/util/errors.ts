/**
 * apiRTC's rejection shape (docs/sdk-reference.md#errors): a plain object, not an Error subclass, because apps read
 * `err.code` and `err.error.message` and some log the object as is.
 */
export interface ApiRTCError {
  /** One of the ERROR_* codes (0–17). */
  code: number;
  /** Carries the representative message of docs/sdk-reference.md#errors. */
  error: Error;
  /** Underlying cause, when there is one. */
  fromError?: unknown;
  /** HTTP status, for REST failures. */
  httpCode?: number;
}

/** Builds an {@link ApiRTCError}; `fromError` is only set when a cause is given. */
export function apiError(code: number, message: string, fromError?: unknown): ApiRTCError {
  const e: ApiRTCError = { code, error: new Error(message) };
  if (fromError !== undefined) e.fromError = fromError;
  return e;
}

/** A rejected promise carrying an {@link ApiRTCError}. */
export function reject<T = never>(code: number, message: string, fromError?: unknown): Promise<T> {
  return Promise.reject(apiError(code, message, fromError));
}
