import type { UserDataBag } from '@parley/protocol';

/** A group request the membership change needs sent. */
export type GroupRequest =
  | { type: 'group.join'; group: string }
  | { type: 'group.leave'; group: string }
  | { type: 'group.subscribe'; group: string }
  | { type: 'group.unsubscribe'; group: string };

/**
 * What the local user wants to be in and to watch, and the user data it publishes: the state a
 * registration sends and a re-registration restores. Each change returns the requests that bring
 * the server in line (none for a no-op), so the Engine only has to send them.
 */
export class Membership {
  readonly #groups: Set<string>;
  readonly #subscribed: Set<string>;
  #userData: UserDataBag;

  constructor(groups: Iterable<string>, subscribeTo: Iterable<string>, userData: UserDataBag) {
    this.#groups = new Set(groups);
    this.#subscribed = new Set(subscribeTo);
    this.#userData = userData;
  }

  /** Groups joined, in joining order. */
  get groups(): string[] {
    return [...this.#groups];
  }

  /** Groups subscribed to with `subscribeTo` / `subscribeToGroup`. */
  get subscriptions(): string[] {
    return [...this.#subscribed];
  }

  /** Every group whose presence the user receives. */
  get watched(): Set<string> {
    return new Set([...this.#groups, ...this.#subscribed]);
  }

  /** Published user data. */
  get userData(): UserDataBag {
    return this.#userData;
  }

  set userData(bag: UserDataBag) {
    this.#userData = bag;
  }

  /** Join (and watch) `group`; `[]` when already joined. */
  join(group: string): GroupRequest[] {
    if (this.#groups.has(group)) return [];
    this.#groups.add(group);
    return [{ type: 'group.join', group }];
  }

  /** Leave `group`, and unsubscribe from it when subscribed too (apiRTC: "leave and unsubscribe"); `[]` when not joined. */
  leave(group: string): GroupRequest[] {
    if (!this.#groups.delete(group)) return [];
    const requests: GroupRequest[] = [{ type: 'group.leave', group }];
    if (this.#subscribed.delete(group)) requests.push({ type: 'group.unsubscribe', group });
    return requests;
  }

  /** Watch `group` without joining; `[]` when already subscribed. */
  subscribe(group: string): GroupRequest[] {
    if (this.#subscribed.has(group)) return [];
    this.#subscribed.add(group);
    return [{ type: 'group.subscribe', group }];
  }

  /** Stop watching `group`; `[]` when not subscribed. */
  unsubscribe(group: string): GroupRequest[] {
    if (!this.#subscribed.delete(group)) return [];
    return [{ type: 'group.unsubscribe', group }];
  }

  /** Whether presence of `group` is still received. */
  watches(group: string): boolean {
    return this.#groups.has(group) || this.#subscribed.has(group);
  }
}
