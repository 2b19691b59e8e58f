import { ErrorCode, ParleyError } from '@parley/protocol';
import type { Limits } from '../config/Config.js';
import type { UserSession } from '../session/UserSession.js';
import { SlidingWindow } from '../util/SlidingWindow.js';

/** The limits {@link SessionQuotas} enforces. */
export type SessionQuotaLimits = Pick<
  Limits,
  'maxConversationsPerSession' | 'maxPeersPerSession' | 'peerCreations' | 'maxPendingRelaysPerSession' | 'meshSignals'
>;

/**
 * What one session may hold or do across its conversations: conversations joined, SFU media
 * peers (live and created per window), relays waiting, mesh signals per window. Each check
 * throws ParleyError code 14 naming the limit; the request fails, the session carries on.
 *
 * Window state lives in WeakMaps keyed by session, so an ended session leaves nothing behind.
 */
export class SessionQuotas {
  readonly #limits: SessionQuotaLimits;
  readonly #peerCreations = new WeakMap<UserSession, SlidingWindow>();
  readonly #meshSignals = new WeakMap<UserSession, SlidingWindow>();

  constructor(limits: SessionQuotaLimits) {
    this.#limits = limits;
  }

  /** A session in `joined` conversations joins one more. @throws 14 at the limit */
  checkJoin(joined: number): void {
    const max = this.#limits.maxConversationsPerSession;
    if (joined >= max) throw notAllowed(`too many conversations (max ${max} per session)`);
  }

  /**
   * A session holding `live` media peers creates one more: checks the cap, then records the
   * creation in the session's window.
   * @throws 14 at the cap or when the session created too many within the window
   */
  admitPeer(session: UserSession, live: number): void {
    const max = this.#limits.maxPeersPerSession;
    if (live >= max) throw notAllowed(`too many media connections (max ${max} per session)`);
    const { max: perWindow, windowMs } = this.#limits.peerCreations;
    if (!window(this.#peerCreations, session, perWindow, windowMs).take()) {
      throw notAllowed(`media connections created too fast (max ${perWindow} per ${windowMs / 1000} s)`);
    }
  }

  /** A session with `pending` unanswered relays opens one more. @throws 14 at the limit */
  checkRelay(pending: number): void {
    const max = this.#limits.maxPendingRelaysPerSession;
    if (pending >= max) throw notAllowed(`too many pending relays (max ${max} per session)`);
  }

  /** A session sends a mesh signal. @throws 14 beyond the window's budget */
  admitMeshSignal(session: UserSession): void {
    const { max, windowMs } = this.#limits.meshSignals;
    if (!window(this.#meshSignals, session, max, windowMs).take()) {
      throw notAllowed(`mesh signals sent too fast (max ${max} per ${windowMs / 1000} s)`);
    }
  }
}

function window(map: WeakMap<UserSession, SlidingWindow>, session: UserSession, max: number, windowMs: number): SlidingWindow {
  let quota = map.get(session);
  if (!quota) {
    quota = new SlidingWindow(max, windowMs);
    map.set(session, quota);
  }
  return quota;
}

function notAllowed(message: string): ParleyError {
  return new ParleyError(ErrorCode.NOT_ALLOWED, message);
}
