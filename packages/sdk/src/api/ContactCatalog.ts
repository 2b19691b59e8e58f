import type { PresenceDiff } from '../engine/PresenceTracker.js';
import { Contact, type ContactHost } from './Contact.js';
import { EMIT, SET_AUTHENTICATED } from './internal.js';
import { replaceUserData } from './UserData.js';

/** Session `contactListUpdate` payload (docs/sdk-reference.md#session); the three keys are always present. */
export interface ContactListUpdate {
  joinedGroup: { [group: string]: Contact[] };
  leftGroup: { [group: string]: Contact[] };
  userDataChanged: Contact[];
}

/**
 * The contacts of one Session: exactly one Contact object per remote id, so that every payload
 * carries the same object for the same user (docs/sdk-reference.md#events-and-listeners, last rule). The local user has its own Contact
 * (sender of our own messages) that is never listed.
 */
export class ContactCatalog {
  readonly #contacts = new Map<string, Contact>();
  readonly #host: ContactHost;
  #selfId = '';
  #self: Contact | undefined;

  constructor(host: ContactHost) {
    this.#host = host;
  }

  /** Records the local user's id (after registration). */
  setSelfId(id: string): void {
    if (id !== this.#selfId) this.#self = undefined;
    this.#selfId = id;
  }

  /** The Contact standing for the local user. */
  self(): Contact {
    this.#self ??= new Contact(this.#selfId, {}, { host: this.#host });
    return this.#self;
  }

  /** The unique Contact for `id`, created on first use. */
  getOrCreate(id: string): Contact {
    if (id === this.#selfId && id !== '') return this.self();
    let contact = this.#contacts.get(id);
    if (!contact) {
      contact = new Contact(id, {}, { host: this.#host });
      this.#contacts.set(id, contact);
    }
    return contact;
  }

  /** Every known remote contact (local user excluded). */
  all(): Contact[] {
    return [...this.#contacts.values()];
  }

  /**
   * Turns an engine presence diff into the `contactListUpdate` payload: contacts' user data is
   * updated first, and each Contact's own `joinGroup` / `leaveGroup` events are returned to be
   * emitted after the Session event.
   */
  applyDiff(diff: PresenceDiff): { update: ContactListUpdate; contactEvents: () => void } {
    const update: ContactListUpdate = { joinedGroup: {}, leftGroup: {}, userDataChanged: [] };
    const events: [Contact, 'joinGroup' | 'leaveGroup', string][] = [];
    for (const [group, entries] of diff.joined) {
      update.joinedGroup[group] = entries.map((entry) => {
        const contact = this.getOrCreate(entry.id);
        replaceUserData(contact.getUserData(), entry.userData);
        contact[SET_AUTHENTICATED](entry.authenticated === true);
        events.push([contact, 'joinGroup', group]);
        return contact;
      });
    }
    for (const [group, ids] of diff.left) {
      update.leftGroup[group] = ids.map((id) => {
        const contact = this.getOrCreate(id);
        events.push([contact, 'leaveGroup', group]);
        return contact;
      });
    }
    for (const entry of diff.userDataChanged) {
      const contact = this.getOrCreate(entry.id);
      replaceUserData(contact.getUserData(), entry.userData);
      contact[SET_AUTHENTICATED](entry.authenticated === true);
      update.userDataChanged.push(contact);
    }
    return {
      update,
      contactEvents: () => {
        for (const [contact, name, group] of events) contact[EMIT](name, group);
      },
    };
  }
}
