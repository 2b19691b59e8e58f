import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { ApiKey } from './ApiKeyStore.js';
import { TokenError } from './TokenError.js';

/** `aud` every Parley/apiRTC token must carry. */
export const TOKEN_AUDIENCE = 'apiRTC';
/** Grant value that authorises any user id of the key. */
export const ANY_ID_GRANT = 'ApiKey_Token';

/** Token grant of the moderator role (Parley extension): `true`, or the conversation names it covers. */
export const MODERATOR_GRANT = 'parley_moderator';

/** What a valid token says: the user id, and where it may be moderator. */
export interface VerifiedToken {
  userId: string;
  /** `true`: any conversation; a list: those conversations; absent claim: none. */
  moderator: boolean | readonly string[];
}

/** Options of {@link TokenVerifier}. */
export interface TokenVerifierOptions {
  /** Accepted clock skew on `exp`/`nbf`/`iat`, in seconds. Default 30. */
  clockToleranceS?: number;
}

const encoder = new TextEncoder();

/**
 * Checks the JWT of an identified user (apiRTC rules): HS256 signed with the key's secret,
 * `aud` = `apiRTC`, `sub` = the API key, `exp` present and not past, and
 * `grants.apiRTC_UserAgent_Id` equal to the requested id or `ApiKey_Token`.
 */
export class TokenVerifier {
  readonly #clockTolerance: number;

  constructor(options: TokenVerifierOptions = {}) {
    this.#clockTolerance = options.clockToleranceS ?? 30;
  }

  /**
   * Verifies `token` for `apiKey` and returns the user id it authorises: `requestedId` when
   * given, else the id the grant names.
   * @throws TokenError with the precise reason.
   */
  async verify(token: string, apiKey: ApiKey, requestedId: string | undefined): Promise<string> {
    return (await this.verifyClaims(token, apiKey, requestedId)).userId;
  }

  /** {@link verify}, also reading the moderator grant. @throws TokenError */
  async verifyClaims(token: string, apiKey: ApiKey, requestedId: string | undefined): Promise<VerifiedToken> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, encoder.encode(apiKey.secret), {
        algorithms: ['HS256'],
        audience: TOKEN_AUDIENCE,
        subject: apiKey.key,
        requiredClaims: ['exp'],
        clockTolerance: this.#clockTolerance,
      }));
    } catch (error) {
      throw new TokenError(reasonOf(error));
    }
    const grants = payload.grants;
    const grantBag = typeof grants === 'object' && grants !== null ? (grants as Record<string, unknown>) : {};
    const granted = grantBag.apiRTC_UserAgent_Id;
    const moderator = moderatorGrant(grantBag[MODERATOR_GRANT]);
    if (typeof granted !== 'string' || granted.length === 0) {
      throw new TokenError('token has no grants.apiRTC_UserAgent_Id');
    }
    if (granted === ANY_ID_GRANT) {
      if (requestedId === undefined) throw new TokenError('an id is required with an ApiKey_Token token');
      return { userId: requestedId, moderator };
    }
    // Parley rule: with a token naming one id the client may omit the id and get that one.
    if (requestedId !== undefined && requestedId !== granted) {
      throw new TokenError(`token does not grant id ${requestedId}`);
    }
    return { userId: granted, moderator };
  }
}

/** Reads the moderator grant: anything but `true` or a list of names grants nothing. */
function moderatorGrant(claim: unknown): boolean | readonly string[] {
  if (claim === true) return true;
  if (Array.isArray(claim)) return claim.filter((name): name is string => typeof name === 'string');
  return false;
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm must be HS256';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'aud':
        return `token audience must be ${TOKEN_AUDIENCE}`;
      case 'sub':
        return 'token subject does not match apiKey';
      case 'exp':
        return error.reason === 'missing' ? 'token has no exp' : 'token exp is invalid';
      case 'nbf':
        return 'token is not valid yet';
      case 'iat':
        return 'token iat is invalid';
      default:
        return `token claim ${error.claim} is invalid`;
    }
  }
  return 'malformed token';
}
