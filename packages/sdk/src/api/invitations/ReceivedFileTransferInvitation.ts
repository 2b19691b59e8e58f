import type { PeerSignalPayload } from '@parley/protocol';
import {
  ERROR_INVITATION_STATE_INVALID,
  ERROR_OTHER,
  INVITATION_STATUS_ACCEPTED,
  INVITATION_STATUS_CANCELLED,
  INVITATION_STATUS_ENDED,
} from '../../constants.js';
import { apiError, reject } from '../../util/errors.js';
import type { PeerHandler, PeerPort } from '../call/PeerPort.js';
import type { Contact } from '../Contact.js';
import { PayloadReceiver } from '../datachannel/PayloadReceiver.js';
import { PeerChannel } from '../datachannel/PeerChannel.js';
import type { TransferInformation } from '../datachannel/transfer.js';
import type { InvitationEvents } from './Invitation.js';
import { ReceivedInvitation } from './ReceivedInvitation.js';

/** How long a closed channel waits for the sender's `cancel` signal before the transfer counts as broken. */
const CANCEL_GRACE_MS = 2000;
/** `{name, type}` of a transferred file. */
export interface FileInfo {
  name: string;
  type: string;
}

/** Events of a {@link ReceivedFileTransferInvitation}. */
export interface ReceivedFileTransferInvitationEvents extends InvitationEvents {
  error: unknown;
  progress: TransferInformation;
}

/** The received file, as `accept()` resolves it. */
export interface ReceivedFile {
  file: Blob | string;
  name: string;
  type: string;
}

/**
 * Delivered by Session/Contact `fileTransferInvitation` (docs/sdk-reference.md#call-and-invitations). `accept()` opens
 * the direct channel and resolves the file (a Blob with the announced name and type) once every
 * byte arrived (status ENDED), with `progress` meanwhile; a sender's cancel makes it CANCELLED and
 * rejects 0 `accept() - Could not read file received`.
 */
export class ReceivedFileTransferInvitation extends ReceivedInvitation<ReceivedFileTransferInvitationEvents> implements PeerHandler {
  readonly #fileInfo: FileInfo;
  readonly #port: PeerPort | undefined;
  readonly #size: number;
  #channel: PeerChannel | null = null;
  #settle: ((outcome: { file: ReceivedFile } | { error: Error }) => void) | null = null;
  #finished = false;

  /** Internal. */
  constructor(sender?: Contact, id?: string, fileinfo?: FileInfo, init?: { port: PeerPort; size: number }) {
    super(sender, null, id);
    this.#fileInfo = fileinfo ?? { name: '', type: '' };
    this.#port = init?.port;
    this.#size = init?.size ?? 0;
    if (this.#port && sender) this.#port.attach(this.getId(), sender.getId(), this);
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return ['error', 'progress', 'statusChange'];
  }

  /** Accepts and resolves `{file, name, type}` when complete. Rejects 10 when not pending. */
  override accept(): Promise<ReceivedFile> {
    const port = this.#port;
    const sender = this.getSender();
    if (!this.isPending || !port || !sender) {
      return reject(ERROR_INVITATION_STATE_INVALID, 'accept() - Cannot join this file transfer session, invitation state invalid');
    }
    this.setStatus(INVITATION_STATUS_ACCEPTED, this.getId());
    const channel = new PeerChannel(port, sender.getId(), this.getId(), 'accept');
    this.#channel = channel;
    const receiver = new PayloadReceiver();
    receiver.ack = (done) => void channel.send(JSON.stringify(done)).catch(() => undefined);
    receiver.onProgress = (info) => this.emit('progress', info);
    receiver.onError = (error) => this.#end({ error }, INVITATION_STATUS_ENDED);
    receiver.onPayload = (payload) => {
      const file: ReceivedFile = {
        file: payload.data instanceof ArrayBuffer ? new Blob([payload.data]) : payload.data,
        name: payload.name,
        type: payload.type,
      };
      this.#end({ file }, INVITATION_STATUS_ENDED);
    };
    channel.onMessage = (data) => receiver.receive(data);
    // A sender's cancel closes the channel and says so over the signalling socket; the direct
    // channel's close can arrive first, so wait a moment for the cancel before calling it a failure.
    channel.onClosed = (why) => {
      setTimeout(() => this.#end({ error: new Error(`connection ${why}`) }, INVITATION_STATUS_ENDED), CANCEL_GRACE_MS);
    };
    const result = new Promise<ReceivedFile>((resolve, rejectWith) => {
      this.#settle = (outcome) => {
        if ('file' in outcome) resolve(outcome.file);
        else rejectWith(apiError(ERROR_OTHER, 'accept() - Could not read file received', outcome.error));
      };
    });
    port.send(sender.getId(), this.getId(), { kind: 'accept' }).catch((error: unknown) => {
      this.#end({ error: error instanceof Error ? error : new Error(String(error)) }, INVITATION_STATUS_ENDED);
    });
    return result;
  }

  /** `{name, type}` announced by the sender. */
  getFileInfo(): FileInfo {
    return { ...this.#fileInfo };
  }

  /** Parley addition: the size in bytes the sender announced. */
  getFileSize(): number {
    return this.#size;
  }

  /** SDK-internal: a signal of this transfer from the sender. */
  onPeerSignal(payload: PeerSignalPayload): void {
    switch (payload.kind) {
      case 'cancel':
        this.#end({ error: new Error('the sender cancelled the transfer') }, INVITATION_STATUS_CANCELLED);
        return;
      case 'hangup':
        // The sender's closing word once it read our acknowledgement (or its give-up).
        this.#port?.detach(this.getId());
        this.#channel?.close();
        if (!this.#finished) this.#end({ error: new Error('the sender stopped the transfer') }, INVITATION_STATUS_ENDED);
        return;
      default:
        this.#channel?.signal(payload);
    }
  }

  /** SDK-internal: the signalling session closed. */
  onSessionEnded(): void {
    this.#end({ error: new Error('session disconnected') }, INVITATION_STATUS_ENDED);
  }

  protected override declined(reason: string | undefined): void {
    const sender = this.getSender();
    this.#finished = true;
    this.#port?.detach(this.getId());
    if (sender) this.#port?.send(sender.getId(), this.getId(), { kind: 'decline', reason: reason ?? 'declined' }).catch(() => undefined);
  }

  #end(outcome: { file: ReceivedFile } | { error: Error }, status: symbol): void {
    if (this.#finished) return;
    this.#finished = true;
    // After success the acknowledgement must still reach the sender, who closes the connection
    // and says so (`hangup`): the routing and the channel stay until then.
    if (!('file' in outcome)) {
      this.#port?.detach(this.getId());
      this.#channel?.close();
    }
    if ('error' in outcome && this.#settle) this.emit('error', outcome.error);
    this.setStatus(status, this.getId());
    this.#settle?.(outcome);
    this.#settle = null;
  }
}
