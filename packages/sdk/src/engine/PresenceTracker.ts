import type { ContactInfo, PresenceEvent, UserDataBag } from '@parley/protocol';
import { deepEqual } from '../util/deepEqual.js';

/** A contact as presence reports it: id plus its published user data. */
export type ContactSnapshot = ContactInfo;

/**
 * The effective change produced by one presence event, after the tracker dropped what it
 * already knew (a join of a known member, a leave of an unknown one).
 */
export interface PresenceDiff {
  /** group → contacts that entered it. */
  joined: Map<string, ContactSnapshot[]>;
  /** group → ids that left it. */
  left: Map<string, string[]>;
  /** Contacts whose user data changed (latest data). */
  userDataChanged: ContactSnapshot[];
}

/** A diff that changes nothing. */
export function emptyDiff(): PresenceDiff {
  return { joined: new Map(), left: new Map(), userDataChanged: [] };
}

/** True when the diff carries nothing worth an event. */
export function isEmptyDiff(diff: PresenceDiff): boolean {
  return diff.joined.size === 0 && diff.left.size === 0 && diff.userDataChanged.length === 0;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Membership of the presence groups the local user watches, by id (docs/sdk-reference.md#presence-groups). Pure state: it applies
 * server `presence` events and returns the effective diff; the Session turns ids into Contacts.
 *
 * Resync: after a re-registration (the server had dropped the session), the server sends a fresh
 * snapshot of every watched group. Between {@link startResync} and {@link finishResync}, the first
 * `joinedGroup[g]` received for a group is treated as its complete membership, so contacts that
 * vanished meanwhile come out as `left` and the ones still there produce no event at all.
 */
export class PresenceTracker {
  readonly #members = new Map<string, Set<string>>();
  readonly #groupsOf = new Map<string, Set<string>>();
  readonly #userData = new Map<string, UserDataBag>();
  /** Ids presence reported as authenticated (identified users). */
  readonly #authenticated = new Set<string>();
  #resyncPending: Set<string> | null = null;
  #selfId: string | undefined;

  /** The local user's id; it is never reported as a contact. */
  setSelfId(id: string): void {
    this.#selfId = id;
  }

  /** Ids currently known in `group` (empty for unwatched groups). */
  membersOf(group: string): string[] {
    return [...(this.#members.get(group) ?? [])];
  }

  /** Watched groups `id` is currently in. */
  groupsOf(id: string): string[] {
    return [...(this.#groupsOf.get(id) ?? [])];
  }

  /** Whether `id` is currently known in `group`. */
  isIn(id: string, group: string): boolean {
    return this.#members.get(group)?.has(id) ?? false;
  }

  /** Whether `id` is in at least one watched group (`contact.isOnline()`). */
  isOnline(id: string): boolean {
    return (this.#groupsOf.get(id)?.size ?? 0) > 0;
  }

  /** Last user data received for `id`. */
  userDataOf(id: string): UserDataBag | undefined {
    return this.#userData.get(id);
  }

  /** True between {@link startResync} and the end of the resync. */
  get resyncing(): boolean {
    return this.#resyncPending !== null;
  }

  /** Applies one server presence event; returns what actually changed. */
  apply(event: Pick<PresenceEvent, 'joinedGroup' | 'leftGroup' | 'userDataChanged'>): PresenceDiff {
    const diff = emptyDiff();
    for (const [group, contacts] of Object.entries(event.joinedGroup)) {
      if (this.#resyncPending?.delete(group)) this.#replaceGroup(group, contacts, diff);
      else for (const c of contacts) this.#join(group, c, diff);
    }
    for (const [group, ids] of Object.entries(event.leftGroup)) {
      for (const id of ids) this.#leave(group, id, diff);
    }
    for (const c of event.userDataChanged) this.#updateData(c, diff);
    if (this.#resyncPending?.size === 0) this.#resyncPending = null;
    return diff;
  }

  /** Expects a full snapshot of each of `groups` (after a re-registration). */
  startResync(groups: Iterable<string>): void {
    this.#resyncPending = new Set(groups);
    // Groups no longer watched are forgotten silently: the local user left them itself.
    for (const g of [...this.#members.keys()]) if (!this.#resyncPending.has(g)) this.forgetGroup(g);
  }

  /** Ends a resync: groups whose snapshot never came are taken as empty. */
  finishResync(): PresenceDiff {
    const diff = emptyDiff();
    for (const group of this.#resyncPending ?? []) this.#replaceGroup(group, [], diff);
    this.#resyncPending = null;
    return diff;
  }

  /** Drops every group without reporting anybody as leaving (the server forgot them all). */
  forgetAll(): void {
    this.#members.clear();
    this.#groupsOf.clear();
    this.#resyncPending = null;
  }

  /** Drops a group the local user stopped watching, without reporting anybody as leaving. */
  forgetGroup(group: string): void {
    for (const id of this.#members.get(group) ?? []) this.#groupsOf.get(id)?.delete(group);
    this.#members.delete(group);
  }

  #replaceGroup(group: string, contacts: ContactSnapshot[], diff: PresenceDiff): void {
    const present = new Set(contacts.map((c) => c.id));
    for (const id of this.membersOf(group)) if (!present.has(id)) this.#leave(group, id, diff);
    for (const c of contacts) {
      if (this.isIn(c.id, group)) this.#updateData(c, diff);
      else this.#join(group, c, diff);
    }
  }

  #join(group: string, contact: ContactSnapshot, diff: PresenceDiff): void {
    if (contact.id === this.#selfId) return;
    const members = this.#members.get(group) ?? new Set<string>();
    this.#members.set(group, members);
    if (members.has(contact.id)) {
      this.#updateData(contact, diff);
      return;
    }
    members.add(contact.id);
    const groups = this.#groupsOf.get(contact.id) ?? new Set<string>();
    groups.add(group);
    this.#groupsOf.set(contact.id, groups);
    this.#userData.set(contact.id, contact.userData);
    this.#setAuthenticated(contact);
    push(diff.joined, group, contact);
  }

  /** Records the contact's authenticated flag; returns whether it changed. */
  #setAuthenticated(contact: ContactSnapshot): boolean {
    const before = this.#authenticated.has(contact.id);
    if (contact.authenticated === true) this.#authenticated.add(contact.id);
    else this.#authenticated.delete(contact.id);
    return before !== (contact.authenticated === true);
  }

  #leave(group: string, id: string, diff: PresenceDiff): void {
    const members = this.#members.get(group);
    if (!members?.delete(id)) return;
    this.#groupsOf.get(id)?.delete(group);
    push(diff.left, group, id);
  }

  #updateData(contact: ContactSnapshot, diff: PresenceDiff): void {
    if (contact.id === this.#selfId) return;
    const known = this.#userData.get(contact.id);
    this.#userData.set(contact.id, contact.userData);
    // A user replaced by another session of the same id (e.g. identified now) is a change too.
    const flagChanged = this.#setAuthenticated(contact);
    if (deepEqual(known, contact.userData) && !flagChanged) return;
    const i = diff.userDataChanged.findIndex((c) => c.id === contact.id);
    if (i >= 0) diff.userDataChanged[i] = contact;
    else diff.userDataChanged.push(contact);
  }
}

/**
 * One diff reporting both namespaces under their names, as apiRTC's `contactListUpdate` does
 * (docs/sdk-reference.md#conversation-membership: a conversation is reported as the group of its name). A contact listed twice under
 * one name (a group and a conversation sharing it) is listed once.
 */
export function mergeDiffs(groups: PresenceDiff, conversations: PresenceDiff): PresenceDiff {
  if (isEmptyDiff(conversations)) return groups;
  const merged: PresenceDiff = { joined: new Map(groups.joined), left: new Map(groups.left), userDataChanged: [...groups.userDataChanged] };
  for (const [name, contacts] of conversations.joined) {
    const list = [...(merged.joined.get(name) ?? [])];
    for (const c of contacts) if (!list.some((known) => known.id === c.id)) list.push(c);
    merged.joined.set(name, list);
  }
  for (const [name, ids] of conversations.left) merged.left.set(name, [...new Set([...(merged.left.get(name) ?? []), ...ids])]);
  for (const c of conversations.userDataChanged) {
    if (!merged.userDataChanged.some((known) => known.id === c.id)) merged.userDataChanged.push(c);
  }
  return merged;
}
