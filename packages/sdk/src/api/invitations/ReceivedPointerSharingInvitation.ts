import { ERROR_INVITATION_STATE_INVALID } from '../../constants.js';
import { reject } from '../../util/errors.js';
import { rejectNotSupported } from '../../util/unsupported.js';
import type { PointerSharingRoom } from '../p2/PointerSharingRoom.js';
import { ReceivedInvitation } from './ReceivedInvitation.js';

/** Pointer-sharing room invitation (P2). */
export class ReceivedPointerSharingInvitation extends ReceivedInvitation {
  /** Event names accepted by `on()`. */
  static override getAvailableEvents(): string[] {
    return ['statusChange'];
  }

  /** P2: pointer sharing is not supported by Parley. */
  override accept(): Promise<PointerSharingRoom> {
    if (!this.isPending) return reject(ERROR_INVITATION_STATE_INVALID, 'accept() - Cannot accept request, invitation state invalid');
    return rejectNotSupported('accept');
  }
}
