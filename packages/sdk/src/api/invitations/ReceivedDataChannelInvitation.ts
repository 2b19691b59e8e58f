import { ERROR_INVITATION_STATE_INVALID } from '../../constants.js';
import { reject } from '../../util/errors.js';
import type { DataChannel } from '../DataChannel.js';
import type { InvitationEvents } from './Invitation.js';
import { ReceivedInvitation } from './ReceivedInvitation.js';
import { rejectNotSupported } from '../../util/unsupported.js';

/** Events of a {@link ReceivedDataChannelInvitation}. */
export interface ReceivedDataChannelInvitationEvents extends InvitationEvents {
  expired: undefined;
}

/** Delivered by Session/Contact `dataChannelInvitation` (runtime-only class in apiRTC). */
export class ReceivedDataChannelInvitation extends ReceivedInvitation<ReceivedDataChannelInvitationEvents> {
  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return ['expired', 'statusChange'];
  }

  /** Accepts; resolves the receiving DataChannel. Rejects 10 when not pending. */
  override accept(): Promise<DataChannel> {
    if (!this.isPending) {
      return reject(ERROR_INVITATION_STATE_INVALID, 'accept() - Cannot join this datachannel session, invitation state invalid');
    }
    return rejectNotSupported('accept');
  }
}
