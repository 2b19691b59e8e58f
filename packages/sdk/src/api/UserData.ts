import { deepEqual } from '../util/deepEqual.js';
import { log } from '../util/Logger.js';

/** Size above which apiRTC warns about published user data (JSON characters). */
const LARGE_USER_DATA = 1000;

/** Receives the bag when {@link UserData.setToSession} publishes it (set by the Session). */
export type UserDataPublisher = (bag: Record<string, unknown>) => void;

// Kept outside the instances so that no SDK state ever appears among the user's keys or on the
// public prototype.
const publishers = new WeakMap<UserData, UserDataPublisher>();

/**
 * A key/value bag attached to a user and shared through presence (docs/sdk-reference.md#userdata). Keys live as own
 * enumerable properties, so `userData.username` works as well as `userData.get('username')`; the
 * SDK's own state is kept in private fields that never show up as keys.
 */
export class UserData {
  /** Index signature: the stored keys. */
  [key: string]: unknown;

  /** Plain copy of `data`'s own enumerable properties. */
  constructor(data?: object | null) {
    if (data && typeof data === 'object') Object.assign(this, data);
  }

  /** Empty list: UserData emits no events (kept for a uniform class surface). */
  static getAvailableEvents(): string[] {
    return [];
  }

  /** Deep comparison of two values (objects key by key, arrays in order). */
  static equals(objA: unknown, objB: unknown): boolean {
    return deepEqual(objA, objB);
  }

  /** Value stored under `prop`, or `null` when absent (never undefined). */
  get(prop: string): unknown {
    return Object.prototype.hasOwnProperty.call(this, prop) && this[prop] !== undefined ? this[prop] : null;
  }

  /** Sets one key locally (not sent until {@link setToSession}). @returns this. */
  setProp(prop: string, value: unknown): UserData {
    this[prop] = value;
    return this;
  }

  /** Merges the keys of `props` locally. @returns this. */
  setProps(props: object): UserData {
    if (props && typeof props === 'object') Object.assign(this, props);
    else log.error('setProps() - argument must be an object');
    return this;
  }

  /**
   * Publishes the whole bag for the registered user: watchers get `contactListUpdate` with that user
   * in `userDataChanged`. Logs a warning (and still publishes) when its JSON exceeds 1000
   * characters; logs an error and does nothing when the bag is not the registered user's.
   */
  setToSession(): void {
    const bag = userDataBag(this);
    const size = JSON.stringify(bag).length;
    if (size > LARGE_USER_DATA) log.warn(`setToSession() - user data is large (${size} characters)`);
    const publish = publishers.get(this);
    if (!publish) {
      log.error('setToSession() - user data is not attached to a registered session');
      return;
    }
    publish(bag);
  }
}

/** The keys of `userData` as a plain object (what is published). */
export function userDataBag(userData: UserData): Record<string, unknown> {
  return { ...userData };
}

/** Replaces every key of `userData` by those of `bag`, keeping the object (apps hold references). */
export function replaceUserData(userData: UserData, bag: object): void {
  for (const k of Object.keys(userData)) delete userData[k];
  Object.assign(userData, bag);
}

/** Attaches (or detaches, with undefined) the Session that publishes `userData`. */
export function attachPublisher(userData: UserData, publisher: UserDataPublisher | undefined): void {
  if (publisher) publishers.set(userData, publisher);
  else publishers.delete(userData);
}
