/**
 * Why a request failed: the server's error answer, no answer in time, the session ended, or a
 * success answer whose data does not match the request type's result schema (`invalid`).
 */
export type RequestFailure = 'answer' | 'timeout' | 'closed' | 'invalid';

/** Rejection value of a tracked request: an apiRTC error code plus the server's message. */
export class RequestError extends Error {
  readonly code: number;
  readonly kind: RequestFailure;

  constructor(kind: RequestFailure, code: number, message: string) {
    super(message);
    this.name = 'RequestError';
    this.kind = kind;
    this.code = code;
  }
}
