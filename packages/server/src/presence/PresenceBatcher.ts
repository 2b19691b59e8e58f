import type { UserSession } from '../session/UserSession.js';
import type { Group } from './Group.js';
import { GroupTick } from './GroupTick.js';

/** Receives one `presence` event (as a tail, see ReplayBuffer) for one watcher. */
export type PresenceDelivery = (watcher: UserSession, tail: string) => void;
/** Receives what went wrong in a flush (it runs from `setImmediate`, where nothing catches). */
export type PresenceErrorReport = (error: unknown, watcher: UserSession | null) => void;

/** What one watcher gets at the end of a tick. */
interface Plan {
  ticks: GroupTick[];
  snapshots: Group[] | null;
}

const EVENT_HEAD = '"type":"presence","joinedGroup":{';

/**
 * Collects presence changes during a server tick and, at the next `setImmediate`, sends each
 * watcher ONE `presence` event with everything that concerns it.
 *
 * Rules: a watcher never sees itself; a join and a leave of the same user in the same group
 * within the tick cancel out; a watcher that started watching a group during the tick gets
 * that group's member list (snapshot, computed at flush time) instead of its diff; a
 * user-data change reaches each watcher once even through several groups.
 *
 * Cost: per tick, one pass over the watchers of each changed group. Watchers whose payload is
 * identical (the common case: same groups, not a subject of the change) share one string.
 */
export class PresenceBatcher {
  readonly #deliver: PresenceDelivery;
  readonly #onError: PresenceErrorReport;
  #ticks = new Map<Group, GroupTick>();
  #snapshots = new Map<UserSession, Set<Group>>();
  #scheduled: NodeJS.Immediate | null = null;
  #nextTickId = 1;
  #closed = false;

  /** @param onError told about a watcher whose event failed (the others still get theirs) */
  constructor(deliver: PresenceDelivery, onError: PresenceErrorReport) {
    this.#deliver = deliver;
    this.#onError = onError;
  }

  /** `session` became a member of `group`. */
  memberJoined(group: Group, session: UserSession): void {
    this.#tick(group).joined(session);
  }

  /** `session` stopped being a member of `group`. */
  memberLeft(group: Group, session: UserSession): void {
    this.#tick(group).left(session);
  }

  /** `session`, a member of `group`, published new user data. */
  userDataChanged(group: Group, session: UserSession): void {
    this.#tick(group).userDataChanged(session);
  }

  /** `watcher` must get the member list of `group` (it just joined or subscribed). */
  snapshot(watcher: UserSession, group: Group): void {
    let groups = this.#snapshots.get(watcher);
    if (!groups) {
      groups = new Set();
      this.#snapshots.set(watcher, groups);
    }
    groups.add(group);
    this.#schedule();
  }

  /** Sends what was collected now (called by the timer; public for tests). */
  flush(): void {
    if (this.#scheduled !== null) {
      clearImmediate(this.#scheduled);
      this.#scheduled = null;
    }
    const ticks = this.#ticks;
    const snapshots = this.#snapshots;
    if (ticks.size === 0 && snapshots.size === 0) return;
    this.#ticks = new Map();
    this.#snapshots = new Map();

    const live: GroupTick[] = [];
    for (const tick of ticks.values()) if (!tick.empty) live.push(tick);

    if (snapshots.size === 0 && live.length === 1) {
      // Fast path (one group changed, nobody new): no per-watcher plan needed.
      const tick = live[0] as GroupTick;
      const shared = new Map<string, string | null>();
      for (const watcher of tick.group.watchers) this.#send(watcher, { ticks: [tick], snapshots: null }, shared);
      return;
    }

    const plans = new Map<UserSession, Plan>();
    for (const tick of live) {
      for (const watcher of tick.group.watchers) {
        if (snapshots.get(watcher)?.has(tick.group)) continue;
        const plan = plans.get(watcher);
        if (plan) plan.ticks.push(tick);
        else plans.set(watcher, { ticks: [tick], snapshots: null });
      }
    }
    for (const [watcher, groups] of snapshots) {
      if (watcher.ended) continue;
      for (const group of groups) {
        if (!group.watchers.has(watcher)) continue; // stopped watching within the tick
        let plan = plans.get(watcher);
        if (!plan) {
          plan = { ticks: [], snapshots: null };
          plans.set(watcher, plan);
        }
        (plan.snapshots ??= []).push(group);
      }
    }
    const shared = new Map<string, string | null>();
    for (const [watcher, plan] of plans) this.#send(watcher, plan, shared);
  }

  /** Drops pending changes and stops the timer; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#scheduled !== null) clearImmediate(this.#scheduled);
    this.#scheduled = null;
    this.#ticks.clear();
    this.#snapshots.clear();
  }

  #tick(group: Group): GroupTick {
    let tick = this.#ticks.get(group);
    if (!tick) {
      tick = new GroupTick(this.#nextTickId++, group);
      this.#ticks.set(group, tick);
    }
    this.#schedule();
    return tick;
  }

  #schedule(): void {
    if (this.#scheduled !== null || this.#closed) return;
    this.#scheduled = setImmediate(() => {
      this.#scheduled = null;
      try {
        this.flush();
      } catch (error) {
        // The tick's changes are lost for the watchers not served yet; the server goes on.
        this.#onError(error, null);
      }
    });
  }

  /** Sends `watcher` its event; a failure is reported and does not stop the other watchers. */
  #send(watcher: UserSession, plan: Plan, shared: Map<string, string | null>): void {
    try {
      this.#sendUnguarded(watcher, plan, shared);
    } catch (error) {
      this.#onError(error, watcher);
    }
  }

  #sendUnguarded(watcher: UserSession, plan: Plan, shared: Map<string, string | null>): void {
    let tail: string | null;
    if (plan.snapshots === null && !plan.ticks.some((t) => t.involves(watcher.userId))) {
      const key = plan.ticks.length === 1 ? String((plan.ticks[0] as GroupTick).id) : plan.ticks.map((t) => t.id).join(',');
      const cached = shared.get(key);
      if (cached !== undefined) tail = cached;
      else {
        tail = compose(watcher, plan);
        shared.set(key, tail);
      }
    } else {
      tail = compose(watcher, plan);
    }
    if (tail !== null) this.#deliver(watcher, tail);
  }
}

/** The `joinedX` / `leftX` entries of one namespace, as JSON members `"name":[...]`. */
interface Entries {
  joined: string[];
  left: string[];
}

/** Builds the tail of the `presence` event `plan` describes for `watcher`, or null if empty. */
function compose(watcher: UserSession, plan: Plan): string | null {
  const self = watcher.userId;
  const groups: Entries = { joined: [], left: [] };
  // Conversation membership travels in its own keys: a presence group of the same name is another group.
  let conversations: Entries | null = null;
  if (plan.snapshots) {
    for (const group of plan.snapshots) {
      const into = group.namespace === 'group' ? groups : (conversations ??= { joined: [], left: [] });
      into.joined.push(group.keyJson + ':[' + group.snapshotFor(watcher) + ']');
    }
  }
  let userData: UserSession[] | null = null;
  let userDataMerged = false;
  for (const tick of plan.ticks) {
    const exclude = tick.involves(self) ? self : undefined;
    const into = tick.group.namespace === 'group' ? groups : (conversations ??= { joined: [], left: [] });
    const joins = tick.joinsJson(exclude);
    if (joins !== '') into.joined.push(tick.group.keyJson + ':[' + joins + ']');
    const leaves = tick.leavesJson(exclude);
    if (leaves !== '') into.left.push(tick.group.keyJson + ':[' + leaves + ']');
    const changed = tick.userDataSessions();
    if (changed.length === 0) continue;
    if (userData === null) userData = changed;
    else {
      userData = userData.concat(changed);
      userDataMerged = true;
    }
  }
  let userDataJson = '';
  if (userData !== null) {
    // Dedupe only when several groups contributed (a user may be in two watched groups).
    const unique = userDataMerged ? new Set(userData) : userData;
    const parts: string[] = [];
    for (const session of unique) if (session.userId !== self) parts.push(session.contactJson);
    userDataJson = parts.join(',');
  }
  const noConversation = conversations === null || (conversations.joined.length === 0 && conversations.left.length === 0);
  if (groups.joined.length === 0 && groups.left.length === 0 && userDataJson === '' && noConversation) return null;
  const tail = EVENT_HEAD + groups.joined.join(',') + '},"leftGroup":{' + groups.left.join(',') + '},"userDataChanged":[' + userDataJson + ']';
  if (conversations === null || noConversation) return tail + '}';
  return tail + ',"joinedConversation":{' + conversations.joined.join(',') + '},"leftConversation":{' + conversations.left.join(',') + '}}';
}
