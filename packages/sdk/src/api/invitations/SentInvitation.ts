import { INVITATION_STATUS_CANCELLED } from '../../constants.js';
import { log } from '../../util/Logger.js';
import { rejectNotSupported } from '../../util/unsupported.js';
import type { Contact } from '../Contact.js';
import { Invitation, type InvitationEvents } from './Invitation.js';

/** Events of a {@link SentInvitation}. */
export interface SentInvitationEvents extends InvitationEvents {
  response: symbol;
  receive: object;
}

/**
 * An invitation the local user sent (`conversation.sendInvitation`, `contact.inviteTo`,
 * `contact.sendFile`). Delivery of invitations comes with the conversation and 1-1 call work.
 */
export class SentInvitation<E extends SentInvitationEvents = SentInvitationEvents> extends Invitation<E> {
  readonly #id: string;
  readonly #contact: Contact | undefined;
  readonly #conversation: unknown;
  readonly #responseListeners: ((status: symbol) => void)[] = [];

  /** Internal. */
  constructor(contact?: Contact, conversation?: unknown, opts?: { id?: string }) {
    super();
    this.#contact = contact;
    this.#conversation = conversation;
    this.#id = opts?.id ?? '';
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return ['response', 'receive', 'statusChange'];
  }

  /** Invitation id. */
  getId(): string {
    return this.#id;
  }

  /** The invitee (Parley addition for symmetry with ReceivedInvitation.getSender). */
  getContact(): Contact | undefined {
    return this.#contact;
  }

  /** The target conversation, when the invitation is for one. */
  getConversation(): unknown {
    return this.#conversation;
  }

  /** Withdraws a pending invitation (status CANCELLED). */
  cancel(): void {
    if (!this.isPending) {
      log.error('cancel() - invitation is not pending');
      return;
    }
    this.setStatus(INVITATION_STATUS_CANCELLED, this.#id);
  }

  /** The invitee answered (ACCEPTED / DECLINED): `statusChange`, `response`, then the legacy listeners, once. */
  protected answered(status: symbol): void {
    if (!this.isPending) return;
    this.setStatus(status, this.#id);
    // Every sent invitation has `response`: seen as the base class, `this` emits it typed.
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- widening `this` to the base class types the emit; no alias is kept
    const self: SentInvitation = this;
    self.emit('response', status);
    const listeners = this.#responseListeners.splice(0);
    for (const listener of listeners) {
      try {
        listener(status);
      } catch (err) {
        log.error('onResponse listener failed', err);
      }
    }
  }

  /** Legacy: `listener(status)` is called once with the invitee's answer. */
  onResponse(listener: (status: symbol) => void): void {
    if (typeof listener === 'function') this.#responseListeners.push(listener);
  }

  /** P2 low-level (re)send: not supported. */
  send(_messageData: object): Promise<void> {
    return rejectNotSupported('send');
  }
}
