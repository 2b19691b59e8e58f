import { ERROR_INVITATION_STATE_INVALID } from '../../constants.js';
import { reject } from '../../util/errors.js';
import { rejectNotSupported } from '../../util/unsupported.js';
import { ReceivedInvitation } from './ReceivedInvitation.js';

/** Whiteboard room invitation (P2). */
export class ReceivedWhiteboardInvitation extends ReceivedInvitation {
  /** Event names accepted by `on()`. */
  static override getAvailableEvents(): string[] {
    return ['statusChange'];
  }

  /** P2: whiteboards are not supported by Parley. */
  override accept(): Promise<string> {
    if (!this.isPending) return reject(ERROR_INVITATION_STATE_INVALID, 'accept() - Cannot join this whiteboard session, invitation state invalid');
    return rejectNotSupported('accept');
  }
}
