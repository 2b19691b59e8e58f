import type { PeerSignalPayload } from '@parley/protocol';
import { INVITATION_STATUS_ACCEPTED, INVITATION_STATUS_CANCELLED, INVITATION_STATUS_DECLINED, INVITATION_STATUS_EXPIRED } from '../../constants.js';
import { log } from '../../util/Logger.js';
import type { PeerHandler, PeerPort } from '../call/PeerPort.js';
import type { Contact } from '../Contact.js';
import type { Conversation } from '../Conversation.js';
import { SentInvitation } from './SentInvitation.js';

/** How long a conversation invitation waits for an answer when the app gives no `expirationTime`, in ms. */
export const CONVERSATION_INVITATION_EXPIRY_MS = 60_000;

/**
 * The inviter's side of `conversation.sendInvitation` / `contact.inviteTo`
 * (docs/sdk-reference.md#call-and-invitations): STANDBY → ACCEPTED | DECLINED (the invitee's answer), CANCELLED
 * (`cancel()`), or EXPIRED (no answer in time, or the invitee is not connected).
 */
export class SentConversationInvitation extends SentInvitation implements PeerHandler {
  readonly #port: PeerPort;
  readonly #peer: string;
  readonly #expiresInMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Internal. */
  constructor(contact: Contact, conversation: Conversation, id: string, init: { port: PeerPort; expiresInMs: number }) {
    super(contact, conversation, { id });
    this.#port = init.port;
    this.#peer = contact.getId();
    this.#expiresInMs = init.expiresInMs;
    this.#port.attach(id, this.#peer, this);
  }

  /** SDK-internal: delivers the invitation and starts its clock. */
  start(name: string): void {
    this.#timer = setTimeout(() => {
      if (!this.isPending) return;
      this.#port.send(this.#peer, this.getId(), { kind: 'expire' }).catch(() => undefined);
      this.#close(INVITATION_STATUS_EXPIRED);
    }, this.#expiresInMs);
    this.#port.send(this.#peer, this.getId(), { kind: 'conversationInvite', conversation: name, expiresInMs: this.#expiresInMs }).catch((err: unknown) => {
      log.error(`sendInvitation() - invitation not delivered to ${this.#peer}`, err);
      this.#close(INVITATION_STATUS_EXPIRED);
    });
  }

  /** Withdraws the pending invitation (CANCELLED on both sides). */
  override cancel(): void {
    if (!this.isPending) {
      log.error('cancel() - invitation is not pending');
      return;
    }
    this.#port.send(this.#peer, this.getId(), { kind: 'cancel' }).catch(() => undefined);
    this.#close(INVITATION_STATUS_CANCELLED);
  }

  /** SDK-internal: the invitee's answer. */
  onPeerSignal(payload: PeerSignalPayload): void {
    if (payload.kind !== 'accept' && payload.kind !== 'decline') return;
    this.#clear();
    this.answered(payload.kind === 'accept' ? INVITATION_STATUS_ACCEPTED : INVITATION_STATUS_DECLINED);
  }

  /** SDK-internal: the signalling session closed. */
  onSessionEnded(): void {
    this.#close(INVITATION_STATUS_EXPIRED);
  }

  #close(status: symbol): void {
    if (!this.isPending) return;
    this.#clear();
    this.setStatus(status, this.getId());
  }

  #clear(): void {
    clearTimeout(this.#timer);
    this.#port.detach(this.getId());
  }
}
