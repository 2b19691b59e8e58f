import { ERROR_NOT_ALLOWED } from '../constants.js';
import { reject } from '../util/errors.js';
import { rejectNotSupported } from '../util/unsupported.js';
import type { Contact } from './Contact.js';
import { CONVERSATION_EVENTS, Conversation } from './Conversation.js';

/**
 * Enterprise variant of Conversation (P2): returned by getOrCreateConversation for names of the
 * form `prefix:name`. Parley has no enterprise conference service; the class exists so that such
 * names keep working as plain rooms once conversations are available.
 */
export class Conference extends Conversation {
  /** All Conversation events plus `closed`. */
  static override getAvailableEvents(): string[] {
    return [...CONVERSATION_EVENTS, 'closed'];
  }

  /** Removes it from the registry (same as Conversation.destroy). */
  override destroy(): void {
    super.destroy();
  }

  /** As on Conversation. */
  override getWaitingRoomContacts(): { [id: string]: Contact } {
    return super.getWaitingRoomContacts();
  }

  /** P2: rejects 14 (no enterprise). */
  getTags(): Promise<object[]> {
    return reject(ERROR_NOT_ALLOWED, 'getTags() - no enterprise found');
  }

  /** P2: rejects 14 (no enterprise). */
  setTags(_tags: object[]): Promise<void> {
    return reject(ERROR_NOT_ALLOWED, 'setTags() - no enterprise found');
  }

  /** P2: not supported. */
  getInfo(): Promise<object> {
    return rejectNotSupported('getInfo');
  }
}
