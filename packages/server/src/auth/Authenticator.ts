import { randomInt } from 'node:crypto';
import { ErrorCode, ParleyError, type RegisterRequest } from '@parley/protocol';
import type { SessionRegistry } from '../session/SessionRegistry.js';
import type { UserSession } from '../session/UserSession.js';
import type { ApiKey, ApiKeyStore } from './ApiKeyStore.js';
import { idTicket, validIdTicket } from './idTicket.js';
import type { ReservedUserIds } from './ReservedUserIds.js';
import { TokenError } from './TokenError.js';
import type { TokenVerifier } from './TokenVerifier.js';

/** Who is registering, once key, origin and token were checked. */
export interface Identity {
  apiKey: ApiKey;
  /**
   * Authorised (identified) or requested (anonymous, on a key that allows chosen ids) id;
   * undefined = assign one.
   */
  userId: string | undefined;
  identified: boolean;
  /** Token grant of the moderator role (identified users only): everywhere, some conversations, nowhere. */
  moderatorGrant: boolean | readonly string[];
}

/** Outcome of {@link Authenticator.admit}. */
export interface Admission {
  userId: string;
  /** Anonymous user of a key without chosen ids: the ticket that gets this id back (RegisterResult). */
  idTicket?: string;
  /** Older session of the same identified user, to close with 4001 before adding the new one. */
  replaces: UserSession | null;
}

/** Refusal of an unknown or disabled key (deliberately the same). */
const INVALID_KEY = 'invalid apiKey';

/** Registration refused: error code 5, reason in plain words (the socket then closes 4003). */
function refuse(reason: string): ParleyError {
  return new ParleyError(ErrorCode.INITIALISATION_FAILED, reason);
}

/**
 * Registration-time decisions: API key, origin, token, and which user id the session gets.
 *
 * Split in two steps because token verification is asynchronous: {@link authenticate} checks
 * credentials, then {@link admit} settles the user id synchronously against the sessions
 * present at that moment (two clients racing for the same id cannot both win).
 *
 * Ids of identified users are authoritative. Anonymous users get what identified users cannot
 * claim: a server-assigned id, or (keys with `allowChosenIds`) the id they asked for when it is
 * neither in use nor reserved for an identified user (see {@link ReservedUserIds}). An identified
 * user always gets its id: a live anonymous holder is replaced, and the id is reserved from then
 * on. docs/operations.md § "User ids" says why.
 */
export class Authenticator {
  readonly #keys: ApiKeyStore;
  readonly #verifier: TokenVerifier;
  readonly #registry: SessionRegistry;
  readonly #reserved: ReservedUserIds;

  constructor(keys: ApiKeyStore, verifier: TokenVerifier, registry: SessionRegistry, reserved: ReservedUserIds) {
    this.#keys = keys;
    this.#verifier = verifier;
    this.#registry = registry;
    this.#reserved = reserved;
  }

  /**
   * Checks the key, the origin and (when given) the token of a `register` request.
   * @throws ParleyError code 5 naming the reason.
   */
  async authenticate(request: Pick<RegisterRequest, 'apiKey' | 'token' | 'userId' | 'idTicket'>, origin: string | undefined): Promise<Identity> {
    const apiKey = this.checkKey(request.apiKey, origin);
    if (request.token === undefined) {
      if (!apiKey.allowAnonymous) throw refuse('token required');
      // Without chosen ids the request's id is ignored (apiRTC assigns anonymous users theirs),
      // unless it comes with the ticket of an id this server assigned to that client before.
      const reclaimed = request.userId !== undefined && request.idTicket !== undefined && validIdTicket(apiKey, request.userId, request.idTicket);
      return { apiKey, userId: apiKey.allowChosenIds || reclaimed ? request.userId : undefined, identified: false, moderatorGrant: false };
    }
    try {
      const { userId, moderator } = await this.#verifier.verifyClaims(request.token, apiKey, request.userId);
      return { apiKey, userId, identified: true, moderatorGrant: moderator };
    } catch (error) {
      if (error instanceof TokenError) throw refuse(error.reason);
      throw error;
    }
  }

  /**
   * Checks that `key` exists, is enabled and accepts `origin` (also used by `resume`).
   *
   * An unknown and a disabled key get the same refusal, so nobody can learn that a tenant
   * exists but was switched off. The origin refusal stays specific: it is only reached with a
   * working key, which a client can check anyway by sending the right `Origin` (the header is
   * only binding on browsers), and it names nothing but the client's own origin.
   * @throws ParleyError code 5.
   */
  checkKey(key: string, origin: string | undefined): ApiKey {
    const apiKey = this.#keys.get(key);
    if (!apiKey || !apiKey.enabled) throw refuse(INVALID_KEY);
    if (!originAllowed(apiKey.allowedOrigins, origin)) {
      throw refuse(`origin ${origin ?? '(none)'} not allowed for this apiKey`);
    }
    return apiKey;
  }

  /**
   * Settles the user id. Must run synchronously right before the session is added. An identified
   * user's id becomes reserved (kept in the database) and replaces any session holding it.
   * @throws ParleyError code 5 `id X is already in use` / `id X is reserved for an identified user`
   *   (anonymous chosen id).
   */
  admit(identity: Identity): Admission {
    const key = identity.apiKey.key;
    const userId = identity.userId ?? this.#assignId(key);
    if (!identity.identified) {
      if (identity.userId !== undefined) {
        if (this.#reserved.has(key, userId)) throw refuse(`id ${userId} is reserved for an identified user`);
        if (this.#registry.has(key, userId)) throw refuse(`id ${userId} is already in use`);
      }
      if (identity.apiKey.allowChosenIds) return { userId, replaces: null };
      return { userId, idTicket: idTicket(identity.apiKey, userId), replaces: null };
    }
    // A read first: the common case (already reserved) then takes no write lock.
    if (!this.#reserved.has(key, userId)) this.#reserved.reserve(key, userId);
    return { userId, replaces: this.#registry.get(key, userId) ?? null };
  }

  /** A random numeric id of 7–9 digits without leading zero, unused in the tenant and not reserved. */
  #assignId(key: string): string {
    for (;;) {
      const digits = 7 + randomInt(3);
      const id = String(randomInt(10 ** (digits - 1), 10 ** digits));
      if (!this.#registry.has(key, id) && !this.#reserved.has(key, id)) return id;
    }
  }
}

function originAllowed(allowed: string[] | null, origin: string | undefined): boolean {
  if (allowed === null || allowed.includes('*')) return true;
  if (origin === undefined) return false;
  const normalized = origin.toLowerCase().replace(/\/+$/, '');
  return allowed.some((entry) => entry.toLowerCase().replace(/\/+$/, '') === normalized);
}
