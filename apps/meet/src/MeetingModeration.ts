import { byId } from './dom.js';
import { describe } from './views/LocalMedia.js';
import type { Toasts } from './views/Toasts.js';
import { WaitingRoomPanel } from './views/WaitingRoomPanel.js';

/** What the moderation part of a call needs from the Meeting. */
export interface ModerationHost {
  readonly toasts: Toasts;
  /** Re-renders the call screen (people panel included). */
  render(): void;
  /** Ends the call (the moderator removed us). */
  leave(reason: string): void;
}

/**
 * Moderated rooms in the call screen, through the public SDK only: the guest's "waiting for the
 * moderator" screen (with cancel), the moderator's waiting room (admit / deny) and removing
 * participants (eject). The server enforces all of it; this is only the UI.
 */
export class MeetingModeration {
  readonly #conversation: apiRTC.Conversation;
  readonly #host: ModerationHost;
  readonly #panel = new WaitingRoomPanel();
  readonly #screen = byId('waiting-screen');
  readonly #cancel = byId<HTMLButtonElement>('waiting-cancel');
  readonly #onCancel = (): void => void this.#conversation.cancelJoin();
  #closed = false;

  constructor(conversation: apiRTC.Conversation, host: ModerationHost) {
    this.#conversation = conversation;
    this.#host = host;
    this.#cancel.addEventListener('click', this.#onCancel);
    conversation.on('contactJoinedWaitingRoom', (contact) => {
      if (this.#closed) return;
      host.toasts.show(`${contact.getUsername()} is waiting to join`, 'join', 6000);
      host.render();
    });
    conversation.on('contactLeftWaitingRoom', () => {
      if (!this.#closed) host.render();
    });
    conversation.on('waitingForModeratorAcceptance', (moderator) => this.#waiting(`${moderator.getUsername()} will let you in soon.`));
    conversation.on('moderatorConnected', (moderator) => this.#waiting(`${moderator.getUsername()} is here and will let you in soon.`));
    conversation.on('participantEjected', (event) => {
      if (this.#closed) return;
      if (event.self) host.leave('ejected');
      else host.toasts.show(`${event.contact.getUsername()} was removed by the moderator`, 'leave');
    });
  }

  get isModerator(): boolean {
    return this.#conversation.getRole() === 'moderator';
  }

  /**
   * Joins, showing the waiting screen while a moderator has not let us in. Rejects with a
   * readable Error when the moderator refuses, or `null` when the user cancelled.
   */
  async join(): Promise<void> {
    const joining = this.#conversation.join();
    // A guest is WAITING once the server answered; apiRTC has no event when no moderator is there yet.
    const watch = setInterval(() => {
      if (this.#conversation.getStatus() === apiRTC.CONVERSATION_STATUS_WAITING && this.#screen.hidden) this.#waiting('The moderator will let you in soon.');
    }, 200);
    try {
      await joining;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === apiRTC.ERROR_OPERATION_CANCELED) throw new CancelledJoin();
      if (code === apiRTC.ERROR_NOT_ALLOWED) throw new Error('the moderator did not let you in');
      throw error;
    } finally {
      clearInterval(watch);
      this.#screen.hidden = true;
    }
  }

  /** People panel action for a participant (moderators only). */
  async remove(contactId: string, name: string): Promise<void> {
    const contact = this.#conversation.getContacts()[contactId];
    if (!contact) return;
    try {
      await this.#conversation.eject(contact, { reason: 'removed by the moderator' });
    } catch (error) {
      this.#host.toasts.show(`Could not remove ${name}: ${describe(error)}`, 'error');
    }
  }

  /** Renders the waiting room (part of the Meeting's render). */
  render(): void {
    if (this.#closed) return;
    const waiting = this.isModerator && this.#conversation.isJoined() ? Object.values(this.#conversation.getWaitingRoomContacts()) : [];
    this.#panel.render(
      waiting.map((c) => ({ id: c.getId(), name: c.getUsername() })),
      (id, admit) => void this.#decide(id, admit),
    );
  }

  close(): void {
    this.#closed = true;
    this.#cancel.removeEventListener('click', this.#onCancel);
    this.#screen.hidden = true;
    this.#panel.clear();
  }

  async #decide(id: string, admit: boolean): Promise<void> {
    const contact = this.#conversation.getWaitingRoomContacts()[id];
    if (!contact) return;
    try {
      if (admit) await this.#conversation.allowEntry(contact);
      else await this.#conversation.denyEntry(contact, { reason: 'denied by the moderator' });
    } catch (error) {
      this.#host.toasts.show(`Could not ${admit ? 'admit' : 'deny'} ${contact.getUsername()}: ${describe(error)}`, 'error');
    }
  }

  #waiting(text: string): void {
    if (this.#closed || this.#conversation.getStatus() !== apiRTC.CONVERSATION_STATUS_WAITING) return;
    byId('waiting-text').textContent = text;
    this.#screen.hidden = false;
  }
}

/** The user cancelled while waiting for the moderator. */
export class CancelledJoin extends Error {
  constructor() {
    super('join cancelled');
    this.name = 'CancelledJoin';
  }
}
