import type { UserSession } from '../session/UserSession.js';
import type { Group } from './Group.js';

/** Net membership change of one user in one group during a tick. */
interface Change {
  joined: boolean;
  session: UserSession;
}

/**
 * The presence changes of one group during one server tick, already merged: a join and a
 * leave of the same user cancel out (in either order), and at most one change per user is
 * kept. Keyed by user id rather than session so that a session replaced by a newer one of
 * the same user reads as a user-data change, not as a leave plus a join.
 *
 * The JSON fragments are built once per tick and shared by every watcher.
 */
export class GroupTick {
  /** Unique per batcher, used to recognise watchers that get identical payloads. */
  readonly id: number;
  readonly group: Group;
  readonly #changes = new Map<string, Change>();
  #userData: Map<string, UserSession> | null = null;
  #joinsJson: string | undefined;
  #leavesJson: string | undefined;
  #userDataSessions: UserSession[] | undefined;

  constructor(id: number, group: Group) {
    this.id = id;
    this.group = group;
  }

  /** Records that `session` joined the group. */
  joined(session: UserSession): void {
    const prev = this.#changes.get(session.userId);
    if (prev && !prev.joined) {
      this.#changes.delete(session.userId);
      // Same user back under a new session: watchers keep the contact, its data may differ.
      if (prev.session !== session) this.userDataChanged(session);
      return;
    }
    this.#changes.set(session.userId, { joined: true, session });
  }

  /** Records that `session` left the group. */
  left(session: UserSession): void {
    const prev = this.#changes.get(session.userId);
    if (prev && prev.joined) {
      this.#changes.delete(session.userId);
      return;
    }
    this.#changes.set(session.userId, { joined: false, session });
  }

  /** Records that a member published new user data. */
  userDataChanged(session: UserSession): void {
    this.#userData ??= new Map();
    this.#userData.set(session.userId, session);
  }

  /** Whether `userId` is the subject of a change here (its watcher view must exclude it). */
  involves(userId: string): boolean {
    return this.#changes.has(userId) || (this.#userData?.has(userId) ?? false);
  }

  /** Contact JSON of the users that joined, comma-separated ('' when none). */
  joinsJson(exclude?: string): string {
    if (exclude === undefined && this.#joinsJson !== undefined) return this.#joinsJson;
    const parts: string[] = [];
    for (const [userId, change] of this.#changes) {
      if (change.joined && userId !== exclude) parts.push(change.session.contactJson);
    }
    const json = parts.join(',');
    if (exclude === undefined) this.#joinsJson = json;
    return json;
  }

  /** JSON strings of the ids that left, comma-separated ('' when none). */
  leavesJson(exclude?: string): string {
    if (exclude === undefined && this.#leavesJson !== undefined) return this.#leavesJson;
    const parts: string[] = [];
    for (const [userId, change] of this.#changes) {
      if (!change.joined && userId !== exclude) parts.push(JSON.stringify(userId));
    }
    const json = parts.join(',');
    if (exclude === undefined) this.#leavesJson = json;
    return json;
  }

  /**
   * Members whose user data changed and who are still members and did not just join (a join
   * already carries the new data).
   */
  userDataSessions(): UserSession[] {
    if (this.#userDataSessions !== undefined) return this.#userDataSessions;
    const out: UserSession[] = [];
    if (this.#userData) {
      for (const [userId, session] of this.#userData) {
        if (!this.group.members.has(session)) continue;
        if (this.#changes.get(userId)?.joined) continue;
        out.push(session);
      }
    }
    this.#userDataSessions = out;
    return out;
  }

  /** True when nothing is left to tell watchers. */
  get empty(): boolean {
    return this.#changes.size === 0 && this.userDataSessions().length === 0;
  }
}
