import type { ConversationRole } from '@parley/protocol';
import { WaitingRoom } from './WaitingRoom.js';

/**
 * Who may hold the moderator role of a moderated conversation (per API key, docs/operations.md):
 * `first`: the first user asking for it (apiRTC's behaviour, where the client decides) holds it
 * until its session ends; `grant`: every user whose token carries the moderator grant.
 */
export type ModeratorRule = 'first' | 'grant';

/** What the server knows of a user asking to join, for the role decision. */
export interface RoleRequest {
  userId: string;
  /** The client asked for the role (apiRTC `moderator: true`). */
  wantsModerator: boolean;
  /** The user's token grants the role (identified users only). */
  granted: boolean;
}

/**
 * The moderation state of one moderated conversation: the role holders, the waiting room and
 * the users ejected. Roles belong to user ids, not sessions, so that a moderator who leaves
 * comes back as moderator; they are released when the holder's session ends. An ejected user
 * never gets the role again in this conversation (it would let itself in).
 */
export class Moderation {
  readonly rule: ModeratorRule;
  readonly waitingRoom = new WaitingRoom();
  readonly #moderators = new Set<string>();
  readonly #ejected = new Set<string>();

  constructor(rule: ModeratorRule) {
    this.rule = rule;
  }

  /** Decides the role of a joiner; a `moderator` answer takes the role for this user. */
  roleFor(request: RoleRequest): ConversationRole {
    const { userId, wantsModerator, granted } = request;
    if (!wantsModerator || this.#ejected.has(userId)) return 'guest';
    if (this.#moderators.has(userId)) return 'moderator';
    const free = this.rule === 'first' ? this.#moderators.size === 0 : granted;
    if (!free) return 'guest';
    this.#moderators.add(userId);
    return 'moderator';
  }

  isModerator(userId: string): boolean {
    return this.#moderators.has(userId);
  }

  /** Moderator user ids. */
  moderators(): string[] {
    return [...this.#moderators];
  }

  /** The user was ejected: it loses the role and may only come back through the waiting room. */
  ejected(userId: string): void {
    this.#moderators.delete(userId);
    this.#ejected.add(userId);
  }

  /** The user's session ended: the role is free for the next one asking. */
  sessionEnded(userId: string): void {
    this.#moderators.delete(userId);
  }

  close(): void {
    this.waitingRoom.clear();
    this.#moderators.clear();
    this.#ejected.clear();
  }
}
