import type { PeerSignalEvent, PeerSignalPayload } from '@parley/protocol';
import { noIceServers, type IceReport, type IceServersSource } from '../../media/pcUtil.js';
import { log } from '../../util/Logger.js';
import type { Contact } from '../Contact.js';
import type { PeerHandler, PeerPort } from './PeerPort.js';

/** How a new peer session offered by another user is opened (by kind of invite). */
export interface PeerInviteSink {
  invite(from: Contact, session: string, payload: Extract<PeerSignalPayload, { kind: 'invite' }>): void;
  conversationInvite(from: Contact, session: string, conversation: string, expiresInMs: number): void;
}

/** What {@link PeerSessions} needs from the Session. */
export interface PeerSessionsDeps {
  selfId: () => string;
  contact: (id: string) => Contact;
  /** Sends `peer.signal`; rejects the server's RequestError. */
  request: (to: string, session: string, payload: PeerSignalPayload) => Promise<void>;
  report: IceReport;
  /** The session's STUN/TURN servers; none when absent (tests). */
  iceServers?: IceServersSource;
}

/**
 * The Session's table of live peer sessions (calls, invitations, data channels, transfers), and
 * their signalling port. Each signal goes to the session it names, and only when it comes from
 * that session's other user: a third user who guesses an id cannot act on someone else's call.
 * An unknown session id is opened only by an invite; other stray signals (late candidates of an
 * ended call) are dropped.
 */
export class PeerSessions implements PeerPort {
  readonly #deps: PeerSessionsDeps;
  readonly #sessions = new Map<string, { peer: string; handler: PeerHandler }>();
  #invites: PeerInviteSink | undefined;

  constructor(deps: PeerSessionsDeps) {
    this.#deps = deps;
  }

  /** Where invites for new sessions go. */
  set invites(sink: PeerInviteSink) {
    this.#invites = sink;
  }

  selfId(): string {
    return this.#deps.selfId();
  }

  send(to: string, session: string, payload: PeerSignalPayload): Promise<void> {
    return this.#deps.request(to, session, payload);
  }

  attach(session: string, peer: string, handler: PeerHandler): void {
    this.#sessions.set(session, { peer, handler });
  }

  detach(session: string): void {
    this.#sessions.delete(session);
  }

  get iceServers(): IceServersSource {
    return this.#deps.iceServers ?? noIceServers;
  }

  get report(): IceReport {
    return this.#deps.report;
  }

  /** A `peer.signal` event from the server. */
  dispatch(event: PeerSignalEvent): void {
    const known = this.#sessions.get(event.session);
    if (known) {
      if (known.peer !== event.from) {
        log.warn(`peer signal for session ${event.session} from ${event.from} ignored: not its peer`);
        return;
      }
      known.handler.onPeerSignal(event.payload);
      return;
    }
    const { payload } = event;
    if (payload.kind === 'invite') this.#invites?.invite(this.#deps.contact(event.from), event.session, payload);
    else if (payload.kind === 'conversationInvite')
      this.#invites?.conversationInvite(this.#deps.contact(event.from), event.session, payload.conversation, payload.expiresInMs);
  }

  /** The signalling session closed for good: every live peer session ends locally. */
  sessionEnded(): void {
    const handlers = [...this.#sessions.values()].map((s) => s.handler);
    this.#sessions.clear();
    for (const handler of handlers) handler.onSessionEnded();
  }
}
