import type { UserSession } from '../session/UserSession.js';

/** Presence groups (`group.*` requests) or conversation membership (ConversationService only). */
export type GroupNamespace = 'group' | 'conversation';

/**
 * One presence group of one tenant: its members (visible users) and its watchers (members
 * and subscribers, who receive presence about the members).
 *
 * Keeps the JSON list of its members' contacts, with the offset of each member in it, so that
 * the snapshot a newcomer gets costs no walk over the members: the list is extended when a
 * member joins (string concatenation, which V8 does without copying) and the snapshot for a
 * member is the list with its own entry sliced out (slices share memory too). The list is
 * rebuilt, in one pass, only after a leave or a user-data change.
 */
export class Group {
  readonly apiKey: string;
  readonly name: string;
  readonly namespace: GroupNamespace;
  /** `JSON.stringify(name)`, the key of this group in presence payloads. */
  readonly keyJson: string;
  /** Members in join order. */
  readonly members = new Set<UserSession>();
  /** Members and subscribers. */
  readonly watchers = new Set<UserSession>();

  /** Contacts of every member, comma-separated, in join order; null when stale. */
  #json: string | null = '';
  /** Start of each member's contact JSON in #json; valid when #json is. */
  #offsets: Map<UserSession, number> | null = new Map();

  constructor(apiKey: string, name: string, namespace: GroupNamespace = 'group') {
    this.apiKey = apiKey;
    this.name = name;
    this.namespace = namespace;
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
    if (this.#json !== null && this.#offsets !== null) {
      const start = this.#json === '' ? 0 : this.#json.length + 1;
      this.#json = this.#json === '' ? session.contactJson : this.#json + ',' + session.contactJson;
      this.#offsets.set(session, start);
    }
  }

  /** Removes a member; no-op when not a member. */
  removeMember(session: UserSession): void {
    if (!this.members.delete(session)) return;
    this.invalidate();
  }

  /** Forgets the cached member list (a member's contact JSON changed). */
  invalidate(): void {
    this.#json = null;
    this.#offsets = null;
  }

  /**
   * Comma-separated contact JSON of every member except `viewer`: the body of
   * `joinedGroup[name]` in the snapshot sent to `viewer`.
   */
  snapshotFor(viewer: UserSession): string {
    const json = this.#membersJson();
    const start = this.#offsets?.get(viewer);
    if (start === undefined) return json;
    const end = start + viewer.contactJson.length;
    if (start === 0) return end === json.length ? '' : json.slice(end + 1);
    return end === json.length ? json.slice(0, start - 1) : json.slice(0, start) + json.slice(end + 1);
  }

  #membersJson(): string {
    if (this.#json === null || this.#offsets === null) {
      const offsets = new Map<UserSession, number>();
      const parts: string[] = [];
      let length = 0;
      for (const member of this.members) {
        offsets.set(member, parts.length === 0 ? 0 : length + 1);
        length += (parts.length === 0 ? 0 : 1) + member.contactJson.length;
        parts.push(member.contactJson);
      }
      this.#json = parts.join(',');
      this.#offsets = offsets;
    }
    return this.#json;
  }
}
