import type { UserSession } from './UserSession.js';

/**
 * User ids held across several nodes (cluster/SessionDirectory). The SessionManager claims the id
 * of a registering user after deciding it locally, and releases it when the session ends; without
 * a cluster there is none and the local registry alone decides.
 */
export interface SessionClaims {
  /**
   * Claims `userId` under `apiKey` for a session of this node. An identified user takes the id
   * (its session elsewhere is replaced); an anonymous one gets it only when no live node holds it.
   * @returns the claim, to hand to {@link adopt} once the session exists
   * @throws ParleyError code 5 `id X is already in use` (held by a live node)
   */
  claim(apiKey: string, userId: string, identified: boolean): Promise<string>;
  /** Ties a claim to the session it was made for (released with it). */
  adopt(session: UserSession, claim: string): void;
  /** Gives up a claim not adopted (registration abandoned). */
  abandon(apiKey: string, userId: string, claim: string): void;
  /** Frees the id of an ended session, unless another session took it over meanwhile. */
  release(session: UserSession): void;
}
