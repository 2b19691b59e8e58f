import { rejectNotSupported, throwNotSupported } from '../../util/unsupported.js';
import type { InvitationEvents } from './Invitation.js';
import { SentInvitation, type SentInvitationEvents } from './SentInvitation.js';

/** Events of the remote access invitations. */
export interface RemoteAccessInvitationEvents extends InvitationEvents {
  messageDelivered: object;
  messageNotDelivered: object;
}

/** Remote desktop control, inviter side (P2: not supported by Parley). */
export class SentRemoteAccessInvitation extends SentInvitation<SentInvitationEvents & RemoteAccessInvitationEvents> {
  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return ['statusChange', 'messageDelivered', 'messageNotDelivered'];
  }

  /** P2: not supported. */
  setRemoteAccessStream(_stream: unknown): void {
    throwNotSupported('setRemoteAccessStream');
  }

  /** P2: not supported. */
  setScreenSharingStreamDOMElementId(_DOMElementId: string): void {
    throwNotSupported('setScreenSharingStreamDOMElementId');
  }

  /** P2: not supported. */
  toggleMouseAndKeyboardAccess(): Promise<void> {
    return rejectNotSupported('toggleMouseAndKeyboardAccess');
  }

  /** P2: always false. */
  getMouseAndKeyboardAccessStatus(): boolean {
    return false;
  }

  /** P2: not supported. */
  stop(_sendMessage?: boolean, _reason?: string): void {
    throwNotSupported('stop');
  }
}
