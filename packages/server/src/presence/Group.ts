import type { UserSession } from '../session/UserSession.js';

/**
 * One presence group of one tenant: its members (visible users) and its watchers (members
 * and subscribers, who receive presence about the members).
 *
 * Keeps the JSON list of its members' contacts so that the snapshot a newcomer gets does not
 * cost a walk over every member: the list is extended when a member joins (string
 * concatenation, which V8 does without copying) and rebuilt only after a leave or a user-data
 * change. The snapshot of the member that joined last is the list as it was before it joined.
 */
export class Group {
  readonly apiKey: string;
  readonly name: string;
  /** `JSON.stringify(name)`, the key of this group in presence payloads. */
  readonly keyJson: string;
  /** Members in join order. */
  readonly members = new Set<UserSession>();
  /** Members and subscribers. */
  readonly watchers = new Set<UserSession>();

  /** Contacts of every member, comma-separated; null when stale. */
  #json: string | null = '';
  /** Contacts of every member but #last; valid when #json is. */
  #jsonBeforeLast: string | null = null;
  #last: UserSession | null = null;

  constructor(apiKey: string, name: string) {
    this.apiKey = apiKey;
    this.name = name;
    this.keyJson = JSON.stringify(name);
  }

  /** True when nobody is in or watching the group (it can be forgotten). */
  get idle(): boolean {
    return this.members.size === 0 && this.watchers.size === 0;
  }

  /** Adds a member (not a watcher: see PresenceService). No-op when already a member. */
  addMember(session: UserSession): void {
    if (this.members.has(session)) return;
    this.members.add(session);
    if (this.#json !== null) {
      this.#jsonBeforeLast = this.#json;
      this.#json = this.#json === '' ? session.contactJson : this.#json + ',' + session.contactJson;
    }
    this.#last = session;
  }

  /** Removes a member; no-op when not a member. */
  removeMember(session: UserSession): void {
    if (!this.members.delete(session)) return;
    this.invalidate();
  }

  /** Forgets the cached member list (a member's contact JSON changed). */
  invalidate(): void {
    this.#json = null;
    this.#jsonBeforeLast = null;
    this.#last = null;
  }

  /**
   * Comma-separated contact JSON of every member except `viewer`: the body of
   * `joinedGroup[name]` in the snapshot sent to `viewer`.
   */
  snapshotFor(viewer: UserSession): string {
    if (!this.members.has(viewer)) return this.#membersJson();
    if (viewer === this.#last && this.#json !== null && this.#jsonBeforeLast !== null) return this.#jsonBeforeLast;
    const parts: string[] = [];
    for (const member of this.members) if (member !== viewer) parts.push(member.contactJson);
    return parts.join(',');
  }

  #membersJson(): string {
    if (this.#json === null) {
      const parts: string[] = [];
      for (const member of this.members) parts.push(member.contactJson);
      this.#json = parts.join(',');
      // The incremental state restarts from here; #last stays unknown until the next join.
      this.#jsonBeforeLast = null;
      this.#last = null;
    }
    return this.#json;
  }
}
