import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ApiKey } from './ApiKeyStore.js';
import { MODERATOR_GRANT, TOKEN_AUDIENCE } from './TokenVerifier.js';

/** Options of {@link mintToken}. */
export interface MintTokenOptions {
  /** The user id to authorise, or `ApiKey_Token` for any id of the key. */
  userId: string;
  /** Lifetime in seconds; default 3600. */
  ttlS?: number;
  /** Adds the moderator grant `grants.parley_moderator: true` (keys with `--moderator-grant`). */
  moderator?: boolean;
}

const encoder = new TextEncoder();

/**
 * Mints a JWT for an identified user of `apiKey`, as `parley token` does: HS256, `typ` JWT,
 * `aud` apiRTC, `sub` the key, `iat`, `exp`, `jti` (uuid v4),
 * `grants.apiRTC_UserAgent_Id` the user id.
 */
export async function mintToken(apiKey: Pick<ApiKey, 'key' | 'secret'>, options: MintTokenOptions): Promise<string> {
  const ttl = options.ttlS ?? 3600;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError(`ttl must be a positive integer number of seconds, got ${ttl}`);
  const now = Math.floor(Date.now() / 1000);
  const grants = { apiRTC_UserAgent_Id: options.userId, ...(options.moderator === true ? { [MODERATOR_GRANT]: true } : {}) };
  return new SignJWT({ grants })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(apiKey.key)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .setJti(randomUUID())
    .sign(encoder.encode(apiKey.secret));
}
