import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ApiKey } from './ApiKeyStore.js';
import { mintToken } from './mintToken.js';
import { TokenError } from './TokenError.js';
import { TokenVerifier } from './TokenVerifier.js';

const key: ApiKey = {
  key: 'tenantKey',
  secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I',
  enabled: true,
  allowedOrigins: null,
  allowAnonymous: true,
  allowChosenIds: false,
  moderatorGrant: false,
  label: null,
  createdAt: new Date().toISOString(),
};
const encoder = new TextEncoder();
const now = (): number => Math.floor(Date.now() / 1000);

interface Claims {
  aud?: string;
  sub?: string;
  exp?: number | null;
  grant?: string | null;
  secret?: string;
  alg?: 'HS256' | 'HS512';
}

async function token(claims: Claims = {}): Promise<string> {
  const payload: Record<string, unknown> = {};
  if (claims.grant !== null) payload.grants = { apiRTC_UserAgent_Id: claims.grant ?? 'alice' };
  let jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: claims.alg ?? 'HS256', typ: 'JWT' })
    .setAudience(claims.aud ?? 'apiRTC')
    .setSubject(claims.sub ?? key.key)
    .setIssuedAt();
  if (claims.exp !== null) jwt = jwt.setExpirationTime(claims.exp ?? now() + 600);
  return jwt.sign(encoder.encode(claims.secret ?? key.secret));
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    return (error as TokenError).reason;
  }
  throw new Error('expected a refusal');
}

describe('TokenVerifier', () => {
  const verifier = new TokenVerifier();

  it('accepts a token minted like the CLI does and returns the id', async () => {
    const jwt = await mintToken(key, { userId: 'alice', ttlS: 60 });
    expect(await verifier.verify(jwt, key, 'alice')).toBe('alice');
    // The id may be omitted when the grant names it.
    expect(await verifier.verify(jwt, key, undefined)).toBe('alice');
  });

  it('accepts any id with the ApiKey_Token grant, but needs one', async () => {
    const jwt = await token({ grant: 'ApiKey_Token' });
    expect(await verifier.verify(jwt, key, 'whoever')).toBe('whoever');
    expect(await reason(verifier.verify(jwt, key, undefined))).toBe('an id is required with an ApiKey_Token token');
  });

  it.each<[string, Claims, string | undefined, string]>([
    ['expired', { exp: now() - 3600 }, 'alice', 'token expired'],
    ['bad signature', { secret: 'another-secret-another-secret-another-secret' }, 'alice', 'token signature invalid'],
    ['wrong audience', { aud: 'somethingElse' }, 'alice', 'token audience must be apiRTC'],
    ['wrong subject', { sub: 'otherKey' }, 'alice', 'token subject does not match apiKey'],
    ['id not granted', { grant: 'bob' }, 'alice', 'token does not grant id alice'],
    ['no exp', { exp: null }, 'alice', 'token has no exp'],
    ['no grant', { grant: null }, 'alice', 'token has no grants.apiRTC_UserAgent_Id'],
    ['other algorithm', { alg: 'HS512' }, 'alice', 'token algorithm must be HS256'],
  ])('refuses a token with %s', async (_name, claims, id, expected) => {
    expect(await reason(verifier.verify(await token(claims), key, id))).toBe(expected);
  });

  it('refuses a malformed token', async () => {
    expect(await reason(verifier.verify('not-a-jwt', key, 'alice'))).toBe('malformed token');
    expect(await reason(verifier.verify('a.b.c', key, 'alice'))).toBe('malformed token');
  });
});
