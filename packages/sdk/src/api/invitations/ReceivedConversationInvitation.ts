import { ERROR_WRONG_STATE } from '../../constants.js';
import { reject } from '../../util/errors.js';
import { ReceivedInvitation } from './ReceivedInvitation.js';
import { rejectNotSupported } from '../../util/unsupported.js';

/** Delivered by Session/Contact `conversationInvitation` (docs/sdk-reference.md#call-and-invitations). */
export class ReceivedConversationInvitation extends ReceivedInvitation {
  /** Event names accepted by `on()`. */
  static override getAvailableEvents(): string[] {
    return ['statusChange'];
  }

  /**
   * Accepts, joins the conversation and publishes `stream` if given. Rejects 16 when not pending,
   * 0 "accept() - cannot join webconf" when the join fails.
   */
  override accept(_stream?: unknown, _options?: object): Promise<unknown> {
    if (!this.isPending) return reject(ERROR_WRONG_STATE, 'accept() - cannot accept invitation');
    return rejectNotSupported('accept');
  }

  /** Target conversation. */
  getConversation(): unknown {
    return this.conversation;
  }
}
