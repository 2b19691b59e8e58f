import { ERROR_INVITATION_STATE_INVALID } from '../../constants.js';
import { reject } from '../../util/errors.js';
import type { Call } from '../Call.js';
import type { Contact } from '../Contact.js';
import type { InvitationEvents } from './Invitation.js';
import { ReceivedInvitation } from './ReceivedInvitation.js';
import { rejectNotSupported } from '../../util/unsupported.js';

/** Events of a {@link ReceivedCallInvitation}. */
export interface ReceivedCallInvitationEvents extends InvitationEvents {
  expired: undefined;
}

/** Delivered by Session/Contact `incomingCall` (docs/sdk-reference.md#call-and-invitations). */
export class ReceivedCallInvitation extends ReceivedInvitation<ReceivedCallInvitationEvents> {
  readonly #callType: string;
  readonly #call: Call | null = null;

  /** Internal. */
  constructor(sender?: Contact, id?: string, calltype?: string) {
    super(sender, null, id);
    this.#callType = calltype ?? 'media';
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return ['expired', 'statusChange'];
  }

  /** Answers the call. Rejects 10 when not pending. */
  override accept(_stream?: unknown, _opts?: object): Promise<Call> {
    if (!this.isPending) return reject(ERROR_INVITATION_STATE_INVALID, 'accept() - Cannot join this call, invitation state invalid');
    return rejectNotSupported('accept');
  }

  /** `'audio' | 'media' | 'videoOnly' | 'screenSharing' | …`. */
  getCallType(): string {
    return this.#callType;
  }

  /** The Call of this invitation. */
  getCall(): Call | null {
    return this.#call;
  }

  /** P2: whether the caller asked for recording. */
  isRecorded(): boolean {
    return false;
  }
}
