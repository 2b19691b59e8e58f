import type { PeerSignalPayload } from '@parley/protocol';
import { ERROR_OTHER, ERROR_WRONG_STATE, INVITATION_STATUS_ACCEPTED, INVITATION_STATUS_CANCELLED, INVITATION_STATUS_EXPIRED } from '../../constants.js';
import { apiError, reject } from '../../util/errors.js';
import type { PeerHandler, PeerPort } from '../call/PeerPort.js';
import type { Contact } from '../Contact.js';
import type { Conversation } from '../Conversation.js';
import type { Stream } from '../Stream.js';
import { ReceivedInvitation } from './ReceivedInvitation.js';

/**
 * Delivered by Session/Contact `conversationInvitation` (docs/sdk-reference.md#call-and-invitations). STANDBY →
 * ACCEPTED (`accept()` joins), DECLINED, CANCELLED (the inviter withdrew) or EXPIRED (no answer in
 * the inviter's time).
 */
export class ReceivedConversationInvitation extends ReceivedInvitation implements PeerHandler {
  readonly #port: PeerPort | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Internal. */
  constructor(sender?: Contact, conversation?: Conversation | null, id?: string, init?: { port: PeerPort; expiresInMs: number }) {
    super(sender, conversation, id);
    this.#port = init?.port;
    if (init && sender) {
      init.port.attach(this.getId(), sender.getId(), this);
      this.#timer = setTimeout(() => this.#lapse(INVITATION_STATUS_EXPIRED), init.expiresInMs);
    }
  }

  /** Event names accepted by `on()`. */
  static override getAvailableEvents(): string[] {
    return ['statusChange'];
  }

  /**
   * Accepts, joins the conversation (with `options`), publishes `stream` if given and resolves the
   * joined Conversation. Rejects 16 when not pending, 0 "accept() - cannot join webconf" when the
   * join fails.
   */
  override async accept(stream?: Stream | null, options?: object): Promise<Conversation> {
    const conversation = this.conversation as Conversation | null;
    const sender = this.getSender();
    if (!this.isPending || !conversation || !this.#port || !sender) return reject(ERROR_WRONG_STATE, 'accept() - cannot accept invitation');
    this.#stop();
    this.setStatus(INVITATION_STATUS_ACCEPTED, this.getId());
    this.#port.send(sender.getId(), this.getId(), { kind: 'accept' }).catch(() => undefined);
    try {
      await conversation.join(options);
      if (stream) await conversation.publish(stream);
    } catch (err) {
      throw apiError(ERROR_OTHER, 'accept() - cannot join webconf', err);
    }
    return conversation;
  }

  /** Target conversation. */
  getConversation(): Conversation | null {
    return this.conversation as Conversation | null;
  }

  /** SDK-internal: the inviter withdrew or the invitation lapsed. */
  onPeerSignal(payload: PeerSignalPayload): void {
    if (payload.kind === 'cancel') this.#lapse(INVITATION_STATUS_CANCELLED);
    else if (payload.kind === 'expire') this.#lapse(INVITATION_STATUS_EXPIRED);
  }

  /** SDK-internal: the signalling session closed. */
  onSessionEnded(): void {
    this.#lapse(INVITATION_STATUS_EXPIRED);
  }

  protected override declined(reason: string | undefined): void {
    const sender = this.getSender();
    this.#stop();
    if (sender) this.#port?.send(sender.getId(), this.getId(), { kind: 'decline', reason: reason ?? 'declined' }).catch(() => undefined);
  }

  #lapse(status: symbol): void {
    if (!this.isPending) return;
    this.#stop();
    this.setStatus(status, this.getId());
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#port?.detach(this.getId());
  }
}
