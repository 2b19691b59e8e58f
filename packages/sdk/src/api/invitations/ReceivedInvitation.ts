import { ERROR_OTHER, INVITATION_STATUS_DECLINED } from '../../constants.js';
import { reject } from '../../util/errors.js';
import { log } from '../../util/Logger.js';
import type { Contact } from '../Contact.js';
import { Invitation, type InvitationEvents } from './Invitation.js';

/** Abstract base of invitations delivered to the invitee through Session/Contact events (docs/sdk-reference.md#call-and-invitations). */
export class ReceivedInvitation<E extends InvitationEvents = InvitationEvents> extends Invitation<E> {
  readonly #sender: Contact | undefined;
  readonly #conversation: unknown;
  readonly #id: string;
  readonly #receiveTime = new Date();

  /** Internal. */
  constructor(sender?: Contact, conversation?: unknown, id?: string) {
    super();
    this.#sender = sender;
    this.#conversation = conversation ?? null;
    this.#id = id ?? '';
  }

  /** Event names accepted by `on()`. */
  static override getAvailableEvents(): string[] {
    return ['statusChange'];
  }

  /** Accepts; subclasses define the result. The base class has nothing to accept. */
  accept(..._args: unknown[]): Promise<unknown> {
    return reject(ERROR_OTHER, 'accept() - nothing to accept');
  }

  /** Declines while pending; the inviter sees DECLINED. */
  decline(reason?: string): void {
    if (!this.isPending) {
      log.error('decline() - invitation is not pending');
      return;
    }
    this.setStatus(INVITATION_STATUS_DECLINED, this.#id);
    this.declined(typeof reason === 'string' ? reason : undefined);
  }

  /** The inviter (the property apps read as `invitation.sender`). */
  get sender(): Contact | undefined {
    return this.#sender;
  }

  /** Tells the inviter about a decline; invitations delivered by the server override it. */
  protected declined(_reason: string | undefined): void {}

  /** The inviter. */
  getSender(): Contact | undefined {
    return this.#sender;
  }

  /** Reception time. */
  getReceiveTime(): Date {
    return this.#receiveTime;
  }

  /** Invitation id. */
  getId(): string {
    return this.#id;
  }

  /** Target conversation (null when the invitation is not for one). */
  protected get conversation(): unknown {
    return this.#conversation;
  }
}
