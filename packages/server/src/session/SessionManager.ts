import { randomBytes } from 'node:crypto';
import {
  CloseCode,
  ErrorCode,
  type IceServer,
  type IceServersResult,
  ParleyError,
  type RegisterRequest,
  type RegisterResult,
  type ResumeRequest,
  type ResumeResult,
  type UserDataBag,
} from '@parley/protocol';
import type { Authenticator } from '../auth/Authenticator.js';
import type { Limits } from '../config/Config.js';
import type { TurnCredentialIssuer } from '../ice/TurnCredentialIssuer.js';
import type { Logger } from '../logging/logger.js';
import type { GroupQuota } from '../presence/GroupQuota.js';
import type { PresenceService } from '../presence/PresenceService.js';
import type { SessionClaims } from './SessionClaims.js';
import type { SessionRegistry } from './SessionRegistry.js';
import type { SessionTransport } from './SessionTransport.js';
import { UserSession } from './UserSession.js';

/** Dependencies of {@link SessionManager}. */
export interface SessionManagerDeps {
  registry: SessionRegistry;
  presence: PresenceService;
  groupQuota: GroupQuota;
  authenticator: Authenticator;
  limits: Limits;
  serverVersion: string;
  log: Logger;
  /** ICE servers and TURN credentials for the sessions (none when absent or not configured). */
  ice?: TurnCredentialIssuer;
  /** Runs first when a session ends (it leaves its conversations before its groups). */
  sessionEnding?: (session: UserSession) => void;
  /** User ids shared with other nodes (cluster); absent on a single node. */
  claims?: SessionClaims;
}

/** A session ready to be attached, with the data of the answer to send first. */
export interface Established<R> {
  session: UserSession;
  result: R;
}

/**
 * Life cycle of user sessions: register (with replacement of an older identified session),
 * resume within the window, detach on socket loss, expiry, unregister, shutdown.
 *
 * The caller (the connection) sends the answer and then attaches the session, so the answer
 * always precedes the first event on the socket.
 */
export class SessionManager {
  readonly #deps: SessionManagerDeps;
  readonly #onExpire = (session: UserSession): void => {
    this.#deps.log.debug({ userId: session.userId, apiKey: session.apiKey }, 'session expired');
    // Runs in a timer, where an exception would take the process down.
    try {
      this.end(session);
    } catch (error) {
      this.#deps.log.error({ err: error, userId: session.userId }, 'error while ending an expired session');
    }
  };
  #closed = false;

  constructor(deps: SessionManagerDeps) {
    this.#deps = deps;
  }

  /**
   * Authenticates a `register` request and creates the session: joins `groups`, subscribes
   * `subscribeTo` (snapshots follow as events).
   * @param isGone tells whether the socket closed while the token was being verified
   * @throws ParleyError code 5 (refused, or the key has its maximum of sessions), 9 (user data
   *   too large), 14 (too many groups)
   */
  async register(request: RegisterRequest, origin: string | undefined, isGone: () => boolean): Promise<Established<RegisterResult>> {
    const { registry, presence, authenticator, limits } = this.#deps;
    const userDataJson = this.#serializeUserData(request.userData);
    this.#deps.groupQuota.checkRegister(request.groups, request.subscribeTo);
    const identity = await authenticator.authenticate(request, origin);
    if (isGone() || this.#closed) throw new ParleyError(ErrorCode.OTHER, 'connection closed during registration');
    // From here to the end: synchronous, so the id decision cannot race another register
    // (in a cluster, the claim below is the one wait, and the local state is checked again after it).
    const admission = authenticator.admit(identity);
    const { userId, idTicket } = admission;
    let { replaces } = admission;
    let claim: string | undefined;
    const { claims } = this.#deps;
    if (claims) {
      claim = await claims.claim(identity.apiKey.key, userId, identity.identified);
      if (isGone() || this.#closed) {
        claims.abandon(identity.apiKey.key, userId, claim);
        throw new ParleyError(ErrorCode.OTHER, 'connection closed during registration');
      }
      // Another registration of this node may have taken the id during the wait.
      const now = registry.get(identity.apiKey.key, userId) ?? null;
      if (now !== replaces) {
        if (!identity.identified) {
          claims.abandon(identity.apiKey.key, userId, claim);
          throw new ParleyError(ErrorCode.INITIALISATION_FAILED, `id ${userId} is already in use`);
        }
        replaces = now;
      }
    }
    // A replaced session makes room for its successor.
    if (registry.countOf(identity.apiKey.key) - (replaces ? 1 : 0) >= limits.maxSessionsPerKey) {
      this.#deps.log.warn({ apiKey: identity.apiKey.key, max: limits.maxSessionsPerKey }, 'session limit of the key reached: refusing register');
      throw new ParleyError(ErrorCode.INITIALISATION_FAILED, 'too many sessions for this apiKey');
    }
    if (replaces) {
      this.#deps.log.info({ userId, apiKey: identity.apiKey.key }, 'identified user registered again: replacing older session');
      this.end(replaces, CloseCode.REPLACED, 'replaced by a newer session');
    }
    const session = new UserSession({
      apiKey: identity.apiKey.key,
      userId,
      identified: identity.identified,
      moderatorGrant: identity.moderatorGrant,
      resumeToken: newResumeToken(),
      contactJson: contactJson(userId, userDataJson, identity.identified),
      limits,
    });
    registry.add(session);
    if (claim !== undefined) claims?.adopt(session, claim);
    for (const group of request.groups) presence.join(session, group);
    for (const group of request.subscribeTo) presence.subscribe(session, group);
    this.#deps.log.debug({ userId, apiKey: session.apiKey, identified: session.identified }, 'registered');
    return {
      session,
      result: {
        userId,
        resumeToken: session.resumeToken,
        resumeWindowMs: limits.resumeWindowMs,
        heartbeatMs: limits.heartbeatMs,
        serverVersion: this.#deps.serverVersion,
        ...(idTicket !== undefined ? { idTicket } : {}),
        ...this.#iceFields(userId),
      },
    };
  }

  /**
   * Finds the session of a `resume` request and checks every missed event is still kept. A
   * socket still attached to it (half-dead connection) is closed first.
   * @throws ParleyError code 5 `session expired` (the client then registers again; a session
   *   whose events were lost is ended so that its id is free for that registration).
   */
  resume(request: ResumeRequest, origin: string | undefined): Established<ResumeResult> {
    const session = this.#deps.registry.byResumeToken(request.resumeToken);
    if (!session || session.ended) throw new ParleyError(ErrorCode.INITIALISATION_FAILED, 'session expired');
    // Same origin rule as at registration, with the key as it is configured now.
    this.#deps.authenticator.checkKey(session.apiKey, origin);
    const missed = session.missedSince(request.lastSeq);
    if (missed === null) {
      this.#deps.log.debug({ userId: session.userId, lastSeq: request.lastSeq, seq: session.lastSeq }, 'resume impossible: events lost');
      this.end(session, CloseCode.AUTH_FAILED, 'session expired');
      throw new ParleyError(ErrorCode.INITIALISATION_FAILED, 'session expired');
    }
    const previous = session.transport;
    if (previous) {
      session.detach(previous, this.#deps.limits.resumeWindowMs, this.#onExpire);
      previous.close(CloseCode.REPLACED, 'replaced by a newer connection');
    }
    this.#deps.registry.rotateToken(session, newResumeToken());
    this.#deps.log.debug({ userId: session.userId, replayed: missed.length }, 'resumed');
    // Fresh TURN credentials: a client back after a long outage may hold expired ones.
    return { session, result: { userId: session.userId, resumeToken: session.resumeToken, replayed: missed.length, ...this.#iceFields(session.userId) } };
  }

  /**
   * Replaces the user data of `session` and tells the watchers.
   * @throws ParleyError code 9 when its JSON exceeds the user-data limit.
   */
  setUserData(session: UserSession, userData: UserDataBag): void {
    session.setContactJson(contactJson(session.userId, this.#serializeUserData(userData), session.identified));
    this.#deps.presence.userDataChanged(session);
  }

  /** The socket of `session` closed: the session stays present for the resume window. */
  connectionClosed(session: UserSession, transport: SessionTransport): void {
    if (session.detach(transport, this.#deps.limits.resumeWindowMs, this.#onExpire)) {
      this.#deps.log.debug({ userId: session.userId }, 'detached; resumable');
    }
  }

  /**
   * Ends `session` now: it leaves every group (watchers get `leftGroup` in the next tick), is
   * forgotten, and its socket, if any, is closed with `closeCode`. Safe to call twice.
   */
  end(session: UserSession, closeCode?: number, reason = ''): void {
    if (session.ended) return;
    // While the session can still receive: others' leave events are built from its state.
    // A failure there (it broadcasts) must not leave a half-ended session behind: the rest
    // still runs. end() is called from timers and socket events, where nothing catches.
    try {
      this.#deps.sessionEnding?.(session);
    } catch (error) {
      this.#deps.log.error({ err: error, userId: session.userId }, 'error while a session left its conversations');
    }
    const transport = session.end();
    this.#deps.registry.remove(session);
    this.#deps.claims?.release(session);
    try {
      this.#deps.presence.leaveAll(session);
    } catch (error) {
      this.#deps.log.error({ err: error, userId: session.userId }, 'error while a session left its groups');
    }
    if (transport && closeCode !== undefined) transport.close(closeCode, reason);
  }

  /**
   * Shutdown: stops every expiry timer without presence fan-out (every socket is being closed
   * anyway). Safe to call twice.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const session of [...this.#deps.registry.values()]) {
      session.end();
      this.#deps.registry.remove(session);
      this.#deps.claims?.release(session);
    }
  }

  /** `ice.servers`: the session's ICE servers with fresh TURN credentials. */
  iceServers(session: UserSession): IceServersResult {
    return this.#deps.ice?.issue(session.userId) ?? { iceServers: [] };
  }

  /** `iceServers` / `iceServersExpireAt` of a register or resume answer; nothing when none are configured. */
  #iceFields(userId: string): { iceServers?: IceServer[]; iceServersExpireAt?: number } {
    const ice = this.#deps.ice;
    if (!ice?.configured) return {};
    const { iceServers, expiresAt } = ice.issue(userId);
    return { iceServers, ...(expiresAt !== undefined ? { iceServersExpireAt: expiresAt } : {}) };
  }

  #serializeUserData(userData: UserDataBag): string {
    const json = JSON.stringify(userData);
    const max = this.#deps.limits.maxUserDataBytes;
    if (Buffer.byteLength(json) > max) throw new ParleyError(ErrorCode.BAD_PARAMETER, `userData exceeds ${max} bytes`);
    return json;
  }
}

/** 144 random bits, URL-safe. */
function newResumeToken(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The contact JSON other users receive: `{"id":…,"userData":…}`, plus `"authenticated":true` for
 * identified users (absent for anonymous ones, so their presence costs no extra bytes).
 */
function contactJson(userId: string, userDataJson: string, identified: boolean): string {
  return '{"id":' + JSON.stringify(userId) + ',"userData":' + userDataJson + (identified ? ',"authenticated":true}' : '}');
}
