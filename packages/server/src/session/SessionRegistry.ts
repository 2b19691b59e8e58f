import type { UserSession } from './UserSession.js';

/**
 * Every live session (attached or within its resume window), by tenant (API key) and user
 * id, and by resume token. Tenants are separate namespaces: the same user id may exist under
 * two keys.
 */
export class SessionRegistry {
  readonly #tenants = new Map<string, Map<string, UserSession>>();
  readonly #byToken = new Map<string, UserSession>();

  /** Number of sessions, all tenants. */
  get size(): number {
    return this.#byToken.size;
  }

  /** The session of `userId` under `apiKey`. */
  get(apiKey: string, userId: string): UserSession | undefined {
    return this.#tenants.get(apiKey)?.get(userId);
  }

  /** Number of sessions of `apiKey`. */
  countOf(apiKey: string): number {
    return this.#tenants.get(apiKey)?.size ?? 0;
  }

  /** Whether `userId` is present under `apiKey`. */
  has(apiKey: string, userId: string): boolean {
    return this.#tenants.get(apiKey)?.has(userId) ?? false;
  }

  /** The session holding `resumeToken`. */
  byResumeToken(token: string): UserSession | undefined {
    return this.#byToken.get(token);
  }

  /**
   * Adds a session.
   * @throws Error when its user id is already taken in its tenant (the caller replaces first).
   */
  add(session: UserSession): void {
    let tenant = this.#tenants.get(session.apiKey);
    if (!tenant) {
      tenant = new Map();
      this.#tenants.set(session.apiKey, tenant);
    }
    if (tenant.has(session.userId)) throw new Error(`user ${session.userId} already registered`);
    tenant.set(session.userId, session);
    this.#byToken.set(session.resumeToken, session);
  }

  /**
   * Gives `session` a new resume token; the old one stops working at once. Done at every
   * resume, so that a token seen once (a log, a proxy, a shoulder) is worth nothing after the
   * next reconnection.
   */
  rotateToken(session: UserSession, token: string): void {
    if (this.#byToken.get(session.resumeToken) !== session) return;
    this.#byToken.delete(session.resumeToken);
    session.resumeToken = token;
    this.#byToken.set(token, session);
  }

  /** Removes `session` if it is the one registered (a replaced session may be gone already). */
  remove(session: UserSession): void {
    const tenant = this.#tenants.get(session.apiKey);
    if (tenant?.get(session.userId) === session) {
      tenant.delete(session.userId);
      if (tenant.size === 0) this.#tenants.delete(session.apiKey);
    }
    if (this.#byToken.get(session.resumeToken) === session) this.#byToken.delete(session.resumeToken);
  }

  /** Every session. */
  values(): IterableIterator<UserSession> {
    return this.#byToken.values();
  }
}
