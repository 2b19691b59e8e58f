import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from './ApiKeyStore.js';

/** Domain separation: the key's secret also signs JWTs, which must never verify as tickets. */
const PREFIX = 'parley-anonymous-id\u0000';

/**
 * Proof that the server assigned `userId` to an anonymous client of `apiKey`: an HMAC with the
 * key's secret, so it needs no storage and dies with a secret change. It lets a client that lost
 * its session (network outage beyond the resume window) register again under the same id on keys
 * that otherwise ignore requested anonymous ids.
 */
export function idTicket(apiKey: Pick<ApiKey, 'secret'>, userId: string): string {
  return createHmac('sha256', apiKey.secret)
    .update(PREFIX + userId)
    .digest('base64url');
}

/** Whether `ticket` is {@link idTicket} of `userId` (constant time). */
export function validIdTicket(apiKey: Pick<ApiKey, 'secret'>, userId: string, ticket: string): boolean {
  const expected = Buffer.from(idTicket(apiKey, userId));
  const given = Buffer.from(ticket);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
