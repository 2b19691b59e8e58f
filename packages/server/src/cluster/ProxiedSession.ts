import { UserSession, type UserSessionInit } from '../session/UserSession.js';

/**
 * On the node owning a conversation, the stand-in for a participant connected to another node
 * (its home). Conversations treat it as any session; what they send it goes, as the event's
 * tail, to the home node, which sends it on the real session (stamping the seq there, so resume
 * and replay keep working on the home node).
 */
export class ProxiedSession extends UserSession {
  /** Node holding the real session. */
  readonly home: string;
  /** The real session's id between the two nodes. */
  readonly pid: string;
  readonly #forward: (tail: string) => void;

  constructor(init: Omit<UserSessionInit, 'resumeToken' | 'limits'>, home: string, pid: string, forward: (tail: string) => void) {
    // No replay buffer or answer cache needed here: the home node keeps them.
    super({ ...init, resumeToken: '', limits: { replayEvents: 1, replayChars: 1, answerCache: 1 } });
    this.home = home;
    this.pid = pid;
    this.#forward = forward;
  }

  override sendTail(tail: string): void {
    if (this.ended) return;
    this.#forward(tail);
  }
}
