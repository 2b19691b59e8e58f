import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 over some fields and an expiry (seconds since epoch), for links the server hands
 * out and later accepts without a session: recording downloads and cloud media downloads. The
 * check is constant-time and refuses an expiry in the past.
 */
export class ExpiringSignature {
  readonly #secret: Buffer;

  constructor(secret: Buffer) {
    this.#secret = secret;
  }

  sign(fields: readonly string[], exp: number): string {
    return createHmac('sha256', this.#secret)
      .update(`${fields.join('\n')}\n${exp}`)
      .digest('base64url');
  }

  /** Whether `sig` signs `fields` until `exp` and `exp` is not past `nowMs`. */
  verify(fields: readonly string[], exp: number, sig: string, nowMs: number): boolean {
    if (!Number.isSafeInteger(exp) || exp * 1000 < nowMs) return false;
    const expected = Buffer.from(this.sign(fields, exp));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
