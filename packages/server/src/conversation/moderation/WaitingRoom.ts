import type { ContactInfo } from '@parley/protocol';
import type { UserSession } from '../../session/UserSession.js';

/**
 * The users waiting for a moderator's decision in one conversation, in arrival order. A waiting
 * user is not a participant: it is known here only, so nothing of the conversation reaches it.
 */
export class WaitingRoom {
  readonly #sessions = new Map<string, UserSession>();

  get size(): number {
    return this.#sessions.size;
  }

  /** Whether `session` (this very session, not only its user) waits here. */
  has(session: UserSession): boolean {
    return this.#sessions.get(session.userId) === session;
  }

  /** Puts `session` in the room. @returns false when it was there already */
  add(session: UserSession): boolean {
    if (this.has(session)) return false;
    this.#sessions.set(session.userId, session);
    return true;
  }

  /** Takes user `userId` out. @returns its session, undefined when it was not waiting */
  take(userId: string): UserSession | undefined {
    const session = this.#sessions.get(userId);
    this.#sessions.delete(userId);
    return session;
  }

  /** The waiting sessions, in arrival order. */
  sessions(): UserSession[] {
    return [...this.#sessions.values()];
  }

  clear(): void {
    this.#sessions.clear();
  }
}

/** What other users learn about `session` (its published contact JSON). */
export function contactOf(session: UserSession): ContactInfo {
  return JSON.parse(session.contactJson) as ContactInfo;
}
