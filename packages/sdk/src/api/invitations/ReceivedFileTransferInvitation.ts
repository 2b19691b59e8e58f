import { ERROR_INVITATION_STATE_INVALID } from '../../constants.js';
import { reject } from '../../util/errors.js';
import type { Contact } from '../Contact.js';
import type { InvitationEvents } from './Invitation.js';
import { ReceivedInvitation } from './ReceivedInvitation.js';
import { rejectNotSupported } from '../../util/unsupported.js';

/** `{name, type}` of a transferred file. */
export interface FileInfo {
  name: string;
  type: string;
}

/** Events of a {@link ReceivedFileTransferInvitation}. */
export interface ReceivedFileTransferInvitationEvents extends InvitationEvents {
  error: unknown;
  progress: object;
}

/** Delivered by Session/Contact `fileTransferInvitation` (docs/sdk-reference.md#call-and-invitations). */
export class ReceivedFileTransferInvitation extends ReceivedInvitation<ReceivedFileTransferInvitationEvents> {
  readonly #fileInfo: FileInfo;

  /** Internal. */
  constructor(sender?: Contact, id?: string, fileinfo?: FileInfo) {
    super(sender, null, id);
    this.#fileInfo = fileinfo ?? { name: '', type: '' };
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return ['error', 'progress', 'statusChange'];
  }

  /** Accepts and resolves `{file, name, type}` when complete. Rejects 10 when not pending. */
  override accept(): Promise<{ file: Blob | string; name: string; type: string }> {
    if (!this.isPending) {
      return reject(ERROR_INVITATION_STATE_INVALID, 'accept() - Cannot join this file transfer session, invitation state invalid');
    }
    return rejectNotSupported('accept');
  }

  /** `{name, type}` announced by the sender. */
  getFileInfo(): FileInfo {
    return { ...this.#fileInfo };
  }
}
