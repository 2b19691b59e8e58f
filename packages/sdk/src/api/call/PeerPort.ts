import type { PeerSignalPayload } from '@parley/protocol';
import type { IceReport, IceServersSource } from '../../media/pcUtil.js';

/** Receives the signals of one peer session (a call, an invitation, a data channel, a transfer). */
export interface PeerHandler {
  onPeerSignal(payload: PeerSignalPayload): void;
  /** The signalling session ended for good: end everything locally. */
  onSessionEnded(): void;
}

/**
 * What peer-session objects use of their Session (internal): signalling to the other user, the
 * session's table of live peer sessions, and the local identity for negotiation roles.
 */
export interface PeerPort {
  selfId(): string;
  /** Sends a signal of session `session` to `to`; rejects the server's RequestError. */
  send(to: string, session: string, payload: PeerSignalPayload): Promise<void>;
  /** Routes the signals of `session` from `peer` to `handler`. */
  attach(session: string, peer: string, handler: PeerHandler): void;
  /** Stops routing `session`. */
  detach(session: string): void;
  /** Where peer connections report ICE trouble. */
  report: IceReport;
  /** The session's STUN/TURN servers, read when a connection is built. */
  iceServers: IceServersSource;
}
