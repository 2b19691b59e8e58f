import type { Logger } from '../logging/logger.js';
import type { UserSession } from '../session/UserSession.js';
import { Group } from './Group.js';
import { PresenceBatcher } from './PresenceBatcher.js';

/**
 * Presence groups of every tenant. A user **joins** a group (visible and watching) or
 * **subscribes** to it (watching only); watchers receive batched `presence` events about
 * members (see PresenceBatcher). Groups live per API key, so users of different keys never
 * see each other, and are forgotten when nobody is in or watching them.
 */
export class PresenceService {
  readonly #tenants = new Map<string, Map<string, Group>>();
  readonly #batcher: PresenceBatcher;
  #closed = false;

  constructor(log: Logger) {
    this.#batcher = new PresenceBatcher(
      (watcher, tail) => watcher.sendTail(tail),
      (error, watcher) => log.error({ err: error, userId: watcher?.userId }, 'presence event failed'),
    );
  }

  /** Number of groups, all tenants (for stats). */
  get groupCount(): number {
    let n = 0;
    for (const groups of this.#tenants.values()) n += groups.size;
    return n;
  }

  /** The group `name` of `apiKey`, if anyone is in or watching it. */
  group(apiKey: string, name: string): Group | undefined {
    return this.#tenants.get(apiKey)?.get(name);
  }

  /**
   * Makes `session` a member and watcher of `name`; the other watchers get it in
   * `joinedGroup`, and it gets the current members in its next presence event unless it was
   * watching the group already (subscribed). No-op when already a member.
   */
  join(session: UserSession, name: string): void {
    const group = this.#groupOrCreate(session.apiKey, name);
    const joined = (session.joined ??= new Set());
    if (joined.has(group)) return;
    joined.add(group);
    group.addMember(session);
    this.#batcher.memberJoined(group, session);
    // A subscriber that joins already knows the members; only a new watcher needs the list.
    // (Sending it again would also hide, behind the snapshot, leaves it must still hear about.)
    if (group.watchers.has(session)) return;
    group.watchers.add(session);
    this.#batcher.snapshot(session, group);
  }

  /** Removes `session` from the members of `name` (it keeps watching if subscribed). */
  leave(session: UserSession, name: string): void {
    const group = this.group(session.apiKey, name);
    if (!group || !session.joined?.delete(group)) return;
    group.removeMember(session);
    this.#batcher.memberLeft(group, session);
    if (!session.subscribed?.has(group)) group.watchers.delete(session);
    this.#forgetIfIdle(group);
  }

  /**
   * Makes `session` watch `name` without being visible. When it was not watching yet, it gets
   * the current members; watching already (joined) is a no-op apart from remembering the
   * subscription.
   */
  subscribe(session: UserSession, name: string): void {
    const group = this.#groupOrCreate(session.apiKey, name);
    const subscribed = (session.subscribed ??= new Set());
    if (subscribed.has(group)) return;
    subscribed.add(group);
    if (group.watchers.has(session)) return;
    group.watchers.add(session);
    this.#batcher.snapshot(session, group);
  }

  /** Ends the subscription of `session` to `name` (it keeps watching if a member). */
  unsubscribe(session: UserSession, name: string): void {
    const group = this.group(session.apiKey, name);
    if (!group || !session.subscribed?.delete(group)) return;
    if (!session.joined?.has(group)) group.watchers.delete(session);
    this.#forgetIfIdle(group);
  }

  /** `session` published new user data (its contactJson is already updated). */
  userDataChanged(session: UserSession): void {
    if (!session.joined) return;
    for (const group of session.joined) {
      group.invalidate();
      this.#batcher.userDataChanged(group, session);
    }
  }

  /** Removes `session` from every group it is in or watches (session end). */
  leaveAll(session: UserSession): void {
    if (session.joined) for (const group of [...session.joined]) this.leave(session, group.name);
    if (session.subscribed) for (const group of [...session.subscribed]) this.unsubscribe(session, group.name);
    session.joined = null;
    session.subscribed = null;
  }

  /** Sends pending presence now (tests). */
  flush(): void {
    this.#batcher.flush();
  }

  /** Drops pending events and every group; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#batcher.close();
    this.#tenants.clear();
  }

  #groupOrCreate(apiKey: string, name: string): Group {
    let groups = this.#tenants.get(apiKey);
    if (!groups) {
      groups = new Map();
      this.#tenants.set(apiKey, groups);
    }
    let group = groups.get(name);
    if (!group) {
      group = new Group(apiKey, name);
      groups.set(name, group);
    }
    return group;
  }

  #forgetIfIdle(group: Group): void {
    if (!group.idle) return;
    const groups = this.#tenants.get(group.apiKey);
    if (groups?.get(group.name) !== group) return;
    groups.delete(group.name);
    if (groups.size === 0) this.#tenants.delete(group.apiKey);
  }
}
