import { SignJWT } from 'jose';
import type { ApiKey } from '../../src/index.js';

/** Claims to bend when minting a test token (defaults make a valid one). */
export interface TokenClaims {
  user?: string;
  aud?: string;
  sub?: string;
  /** Seconds from now; negative = expired. */
  expInS?: number;
  secret?: string;
}

/** Mints an HS256 token like `parley token`, with claims to make it invalid on purpose. */
export function tokenFor(key: Pick<ApiKey, 'key' | 'secret'>, claims: TokenClaims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ grants: { apiRTC_UserAgent_Id: claims.user ?? 'alice' } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(claims.aud ?? 'apiRTC')
    .setSubject(claims.sub ?? key.key)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expInS ?? 600))
    .setJti(crypto.randomUUID())
    .sign(new TextEncoder().encode(claims.secret ?? key.secret));
}
