import { ErrorCode, ParleyError, type PeerSignalRequest, type UnsequencedEvent } from '@parley/protocol';
import type { Limits } from '../config/Config.js';
import type { HandlerTable } from '../session/RequestHandler.js';
import type { SessionRegistry } from '../session/SessionRegistry.js';
import type { UserSession } from '../session/UserSession.js';
import { SlidingWindow } from '../util/SlidingWindow.js';
import type { RemoteUsers } from './RemoteUsers.js';

/** The limits {@link PeerRelay} enforces. */
export type PeerRelayLimits = Pick<Limits, 'peerSignals' | 'peerInvites'>;

/**
 * Relays peer-session signals (1-1 calls, data channels, file transfers, conversation invitations)
 * from one user to another of the same API key. The server keeps no state about these sessions:
 * media and data go directly between the browsers, and each SDK runs its own state machine. It
 * checks the target (present, not the sender) and the sender's pace: invitations have a budget of
 * their own, so a user cannot flood others with incoming calls within the general signal budget.
 */
export class PeerRelay {
  readonly #registry: SessionRegistry;
  readonly #limits: PeerRelayLimits;
  readonly #signals = new WeakMap<UserSession, SlidingWindow>();
  readonly #invites = new WeakMap<UserSession, SlidingWindow>();
  readonly #remote: RemoteUsers | undefined;

  /** `remote` reaches users of other nodes (cluster). */
  constructor(registry: SessionRegistry, limits: PeerRelayLimits, remote?: RemoteUsers) {
    this.#registry = registry;
    this.#limits = limits;
    this.#remote = remote;
  }

  /** Handler of `peer.signal`. */
  readonly handlers: HandlerTable<'peer.signal'> = {
    'peer.signal': (session, request) => this.signal(session, request),
  };

  /**
   * Delivers `request` from `from` to its target.
   * @throws ParleyError 9 to self, 8 when the target is not present, 14 beyond the pace limits
   */
  signal(from: UserSession, request: PeerSignalRequest): void | Promise<undefined> {
    if (request.to === from.userId) throw new ParleyError(ErrorCode.BAD_PARAMETER, 'cannot signal yourself');
    const target = this.#registry.get(from.apiKey, request.to);
    if (target) return this.#relay(from, request, (event) => target.send(event));
    const remote = this.#remote;
    if (!remote) throw new ParleyError(ErrorCode.NOT_FOUND, 'contact not found');
    // On another node, perhaps: the id directory in Redis says which (an answer that waits for it).
    return remote.locate(from.apiKey, request.to).then((nodeId) => {
      if (nodeId === null) throw new ParleyError(ErrorCode.NOT_FOUND, 'contact not found');
      this.#relay(from, request, (event) => remote.deliverTo(nodeId, from.apiKey, request.to, event));
      return undefined;
    });
  }

  /** Checks the sender's pace, then sends the signal. @throws ParleyError 14 beyond the pace limits */
  #relay(from: UserSession, request: PeerSignalRequest, send: (event: UnsequencedEvent) => void): void {
    const { signals, invites } = this.#windows(from);
    const kind = request.payload.kind;
    if ((kind === 'invite' || kind === 'conversationInvite') && !invites.take()) {
      throw new ParleyError(ErrorCode.NOT_ALLOWED, `invitations sent too fast (max ${invites.max} per ${invites.windowMs / 1000} s)`);
    }
    if (!signals.take()) {
      throw new ParleyError(ErrorCode.NOT_ALLOWED, `peer signals sent too fast (max ${signals.max} per ${signals.windowMs / 1000} s)`);
    }
    send({ type: 'peer.signal', from: from.userId, session: request.session, payload: request.payload });
  }

  #windows(session: UserSession): { signals: SlidingWindow; invites: SlidingWindow } {
    let signals = this.#signals.get(session);
    if (!signals) {
      signals = new SlidingWindow(this.#limits.peerSignals.max, this.#limits.peerSignals.windowMs);
      this.#signals.set(session, signals);
    }
    let invites = this.#invites.get(session);
    if (!invites) {
      invites = new SlidingWindow(this.#limits.peerInvites.max, this.#limits.peerInvites.windowMs);
      this.#invites.set(session, invites);
    }
    return { signals, invites };
  }
}
