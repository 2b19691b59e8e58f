import { ErrorCode, ParleyError } from '@parley/protocol';
import type { UserSession } from '../session/UserSession.js';
import type { Conversation } from './Conversation.js';

/**
 * Chat-only members of conversations (apiRTC `joinGroupChat`): they send and receive the
 * conversation's messages and read its history, but are not participants, so they get no
 * stream list and cannot publish or subscribe. Membership is kept by API key and conversation
 * name, because a conversation object exists only while it has participants and a chat can
 * outlive them.
 *
 * Moderation: a moderated conversation is entered only through the moderator's allowEntry, so
 * chat membership there is refused (14) to whoever is neither a participant (hence let in) nor
 * granted the moderator role; the same test runs again at every use, so a member who joined the
 * chat before the conversation was created moderated, or was ejected since, no longer reads it.
 */
export class GroupChat {
  /** Members by conversation key, then user id (one session per user id and conversation). */
  readonly #members = new Map<string, Map<string, UserSession>>();
  /** Conversation keys each session is a chat member of (quota and session end). */
  readonly #bySession = new Map<UserSession, Set<string>>();

  /** Number of chats `session` is a member of. */
  countOf(session: UserSession): number {
    return this.#bySession.get(session)?.size ?? 0;
  }

  /**
   * Makes `session` a chat member of `name` (idempotent).
   * @throws ParleyError 14 in a moderated conversation the session was not let into
   */
  join(session: UserSession, name: string, conversation: Conversation | undefined): void {
    if (!mayChat(session, conversation)) throw new ParleyError(ErrorCode.NOT_ALLOWED, 'moderated conversation: join and be allowed in first');
    const key = keyOf(session.apiKey, name);
    let members = this.#members.get(key);
    if (!members) {
      members = new Map();
      this.#members.set(key, members);
    }
    const previous = members.get(session.userId);
    if (previous && previous !== session) this.#forget(previous, key);
    members.set(session.userId, session);
    let keys = this.#bySession.get(session);
    if (!keys) {
      keys = new Set();
      this.#bySession.set(session, keys);
    }
    keys.add(key);
  }

  /** Whether `session` was a chat member of `name`; removes it. */
  leave(session: UserSession, name: string): boolean {
    const key = keyOf(session.apiKey, name);
    if (this.#members.get(key)?.get(session.userId) !== session) return false;
    this.#forget(session, key);
    return true;
  }

  /** Whether `session` is a chat member of `name` and may read it now. */
  isMember(session: UserSession, name: string, conversation: Conversation | undefined): boolean {
    return this.#members.get(keyOf(session.apiKey, name))?.get(session.userId) === session && mayChat(session, conversation);
  }

  /** The chat members of `name` who may read it now, except the conversation's participants (they get it as participants). */
  recipients(apiKey: string, name: string, conversation: Conversation | undefined): UserSession[] {
    const out: UserSession[] = [];
    for (const session of this.#members.get(keyOf(apiKey, name))?.values() ?? []) {
      if (conversation?.participants.get(session.userId)?.session === session) continue;
      if (mayChat(session, conversation)) out.push(session);
    }
    return out;
  }

  /** Session end: drops every chat membership of `session`. */
  dropSession(session: UserSession): void {
    for (const key of [...(this.#bySession.get(session) ?? [])]) this.#forget(session, key);
    this.#bySession.delete(session);
  }

  /** Shutdown. */
  clear(): void {
    this.#members.clear();
    this.#bySession.clear();
  }

  #forget(session: UserSession, key: string): void {
    const members = this.#members.get(key);
    if (members?.get(session.userId) === session) members.delete(session.userId);
    if (members?.size === 0) this.#members.delete(key);
    const keys = this.#bySession.get(session);
    keys?.delete(key);
    if (keys?.size === 0) this.#bySession.delete(session);
  }
}

function keyOf(apiKey: string, name: string): string {
  // NUL cannot appear in an API key, so the pair maps to one key only.
  return `${apiKey}\u0000${name}`;
}

/** Unmoderated chats are open; a moderated one to its participants and to granted moderators. */
function mayChat(session: UserSession, conversation: Conversation | undefined): boolean {
  const moderation = conversation?.moderation;
  if (!moderation) return true;
  if (conversation.participants.get(session.userId)?.session === session) return true;
  if (moderation.isModerator(session.userId)) return true;
  const grant = session.moderatorGrant;
  return grant === true || (Array.isArray(grant) && grant.includes(conversation.name));
}
