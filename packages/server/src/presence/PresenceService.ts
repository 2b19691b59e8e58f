import type { Logger } from '../logging/logger.js';
import type { UserSession } from '../session/UserSession.js';
import { Group, type GroupNamespace } from './Group.js';
import { PresenceBatcher } from './PresenceBatcher.js';

/**
 * Told about membership changes of this node's own users in presence groups (not conversations),
 * to share them with other nodes (cluster/PresenceMirror). Members of other nodes are not reported.
 */
export interface PresenceObserver {
  joined(session: UserSession, group: Group): void;
  left(session: UserSession, group: Group): void;
  userDataChanged(session: UserSession): void;
}

/**
 * Presence groups of every tenant. A user **joins** a group (visible and watching) or
 * **subscribes** to it (watching only); watchers receive batched `presence` events about
 * members (see PresenceBatcher). Groups live per API key, so users of different keys never
 * see each other, and are forgotten when nobody is in or watching them.
 *
 * Two namespaces: the presence groups of `group.*` requests, and the membership groups of
 * conversations, which only the ConversationService joins and leaves. A conversation's group is
 * a different object from the presence group of the same name, so no presence request can
 * join, leave or watch it (a hidden listener or a ghost participant), and its changes travel in
 * their own keys of the `presence` event (`joinedConversation` / `leftConversation`).
 */
export class PresenceService {
  readonly #tenants: Record<GroupNamespace, Map<string, Map<string, Group>>> = { group: new Map(), conversation: new Map() };
  readonly #batcher: PresenceBatcher;
  /** Sessions standing for users of other nodes (members only, never watchers). */
  readonly #remote = new WeakSet<UserSession>();
  #observer: PresenceObserver | null = null;
  #closed = false;

  constructor(log: Logger) {
    this.#batcher = new PresenceBatcher(
      (watcher, tail) => watcher.sendTail(tail),
      (error, watcher) => log.error({ err: error, userId: watcher?.userId }, 'presence event failed'),
    );
  }

  /** Number of presence groups, all tenants (for stats; conversations are counted apart). */
  get groupCount(): number {
    let n = 0;
    for (const groups of this.#tenants.group.values()) n += groups.size;
    return n;
  }

  /** Reports this node's membership changes to `observer` from now on (cluster). */
  observe(observer: PresenceObserver): void {
    this.#observer = observer;
  }

  /**
   * Makes `member`, a stand-in for a user of another node, a member of presence group `name`:
   * watchers here see it join as if it were local. It never watches (its own node serves it).
   */
  joinRemote(member: UserSession, name: string): void {
    this.#remote.add(member);
    const group = this.#groupOrCreate('group', member.apiKey, name);
    const joined = (member.joined ??= new Set());
    if (joined.has(group)) return;
    joined.add(group);
    group.addMember(member);
    this.#batcher.memberJoined(group, member);
  }

  /** The presence group `name` of `apiKey`, if anyone is in or watching it. */
  group(apiKey: string, name: string): Group | undefined {
    return this.#tenants.group.get(apiKey)?.get(name);
  }

  /** The membership group of conversation `name` of `apiKey`, if anyone is in it. */
  conversationGroup(apiKey: string, name: string): Group | undefined {
    return this.#tenants.conversation.get(apiKey)?.get(name);
  }

  /**
   * Makes `session` a member and watcher of `name`; the other watchers get it in
   * `joinedGroup`, and it gets the current members in its next presence event unless it was
   * watching the group already (subscribed). No-op when already a member.
   */
  join(session: UserSession, name: string): void {
    this.#join(session, this.#groupOrCreate('group', session.apiKey, name));
  }

  /** Removes `session` from the members of `name` (it keeps watching if subscribed). */
  leave(session: UserSession, name: string): void {
    const group = this.group(session.apiKey, name);
    if (group) this.#leave(session, group);
  }

  /**
   * Makes `session` a visible member and watcher of conversation `name`'s group (ConversationService
   * only: called together with the conversation's own join). Same events as {@link join}, under
   * `joinedConversation`.
   */
  joinConversation(session: UserSession, name: string): void {
    this.#join(session, this.#groupOrCreate('conversation', session.apiKey, name));
  }

  /** Removes `session` from conversation `name`'s group (ConversationService only). */
  leaveConversation(session: UserSession, name: string): void {
    const group = this.conversationGroup(session.apiKey, name);
    if (group) this.#leave(session, group);
  }

  #join(session: UserSession, group: Group): void {
    const joined = (session.joined ??= new Set());
    if (joined.has(group)) return;
    joined.add(group);
    group.addMember(session);
    this.#batcher.memberJoined(group, session);
    if (group.namespace === 'group') this.#observer?.joined(session, group);
    // A subscriber that joins already knows the members; only a new watcher needs the list.
    // (Sending it again would also hide, behind the snapshot, leaves it must still hear about.)
    if (group.watchers.has(session)) return;
    group.watchers.add(session);
    this.#batcher.snapshot(session, group);
  }

  #leave(session: UserSession, group: Group): void {
    if (!session.joined?.delete(group)) return;
    group.removeMember(session);
    this.#batcher.memberLeft(group, session);
    if (group.namespace === 'group' && !this.#remote.has(session)) this.#observer?.left(session, group);
    if (!session.subscribed?.has(group)) group.watchers.delete(session);
    this.#forgetIfIdle(group);
  }

  /**
   * Makes `session` watch `name` without being visible. When it was not watching yet, it gets
   * the current members; watching already (joined) is a no-op apart from remembering the
   * subscription.
   */
  subscribe(session: UserSession, name: string): void {
    const group = this.#groupOrCreate('group', session.apiKey, name);
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
    if (group) this.#unsubscribe(session, group);
  }

  #unsubscribe(session: UserSession, group: Group): void {
    if (!session.subscribed?.delete(group)) return;
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
    if (!this.#remote.has(session)) this.#observer?.userDataChanged(session);
  }

  /** Removes `session` from every group it is in or watches (session end). */
  leaveAll(session: UserSession): void {
    if (session.joined) for (const group of [...session.joined]) this.#leave(session, group);
    if (session.subscribed) for (const group of [...session.subscribed]) this.#unsubscribe(session, group);
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
    this.#tenants.group.clear();
    this.#tenants.conversation.clear();
  }

  #groupOrCreate(namespace: GroupNamespace, apiKey: string, name: string): Group {
    const tenants = this.#tenants[namespace];
    let groups = tenants.get(apiKey);
    if (!groups) {
      groups = new Map();
      tenants.set(apiKey, groups);
    }
    let group = groups.get(name);
    if (!group) {
      group = new Group(apiKey, name, namespace);
      groups.set(name, group);
    }
    return group;
  }

  #forgetIfIdle(group: Group): void {
    if (!group.idle) return;
    const tenants = this.#tenants[group.namespace];
    const groups = tenants.get(group.apiKey);
    if (groups?.get(group.name) !== group) return;
    groups.delete(group.name);
    if (groups.size === 0) tenants.delete(group.apiKey);
  }
}
