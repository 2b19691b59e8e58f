import { rejectNotSupported, throwNotSupported } from '../../util/unsupported.js';
import { ReceivedInvitation } from './ReceivedInvitation.js';
import type { RemoteAccessInvitationEvents } from './SentRemoteAccessInvitation.js';

/** Remote desktop control, controlled side (P2: not supported by Parley). */
export class ReceivedRemoteAccessInvitation extends ReceivedInvitation<RemoteAccessInvitationEvents> {
  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return ['statusChange', 'messageDelivered', 'messageNotDelivered'];
  }

  /** P2: not supported. */
  override accept(): Promise<string> {
    return rejectNotSupported('accept');
  }

  /** P2: not supported (declared as returning a promise in apiRTC). */
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- apiRTC's signature for this class, unlike the base's void
  override decline(): Promise<string> {
    return rejectNotSupported('decline');
  }

  /** P2: not supported. */
  sendMessageToSender(_eventType: string, _messageData: object): Promise<void> {
    return rejectNotSupported('sendMessageToSender');
  }

  /** P2: not supported. */
  startScreenSharingAndPublish(): Promise<unknown> {
    return rejectNotSupported('startScreenSharingAndPublish');
  }

  /** P2: not supported. */
  downloadApplication(): Promise<void> {
    return rejectNotSupported('downloadApplication');
  }

  /** P2: not supported. */
  stop(_sendMessage?: boolean, _reason?: string): void {
    throwNotSupported('stop');
  }
}
