import type { PeerSignalPayload } from '@parley/protocol';
import {
  INVITATION_STATUS_ACCEPTED,
  INVITATION_STATUS_CANCELLED,
  INVITATION_STATUS_DECLINED,
  INVITATION_STATUS_ENDED,
  INVITATION_STATUS_EXPIRED,
} from '../../constants.js';
import { log } from '../../util/Logger.js';
import type { PeerHandler, PeerPort } from '../call/PeerPort.js';
import type { Contact } from '../Contact.js';
import { PeerChannel } from '../datachannel/PeerChannel.js';
import { sendPayload, type PayloadKind, type TransferInformation } from '../datachannel/transfer.js';
import type { FileInfo } from './ReceivedFileTransferInvitation.js';
import { SentInvitation } from './SentInvitation.js';

/** What the sender's Contact emits about the transfer (`fileTransferProgress`, `fileSentSuccessfully`, `fileTransferError`). */
export interface FileTransferReport {
  progress(info: { fileInfo: FileInfo; transferInformation: TransferInformation }): void;
  sent(info: { fileInfo: FileInfo; transferInformation: TransferInformation }): void;
  failed(info: { error: unknown; invitationId: string }): void;
}

/**
 * The sender's side of `contact.sendFile` (docs/sdk-reference.md#call-and-invitations): STANDBY until the receiver
 * answers; on ACCEPTED the file goes over a {@link PeerChannel} with back-pressure, and the status
 * becomes ENDED once the receiver confirmed every byte. `cancel()` works while pending and during
 * the transfer (both sides CANCELLED).
 */
export class SentFileTransferInvitation extends SentInvitation implements PeerHandler {
  readonly #port: PeerPort;
  readonly #peer: string;
  readonly #fileInfo: FileInfo;
  readonly #blob: Blob;
  readonly #kind: PayloadKind;
  readonly #report: FileTransferReport;
  #channel: PeerChannel | null = null;
  #finished = false;
  #last: TransferInformation | null = null;

  /** Internal. */
  constructor(contact: Contact, id: string, init: { port: PeerPort; fileInfo: FileInfo; blob: Blob; kind: PayloadKind; report: FileTransferReport }) {
    super(contact, null, { id });
    this.#port = init.port;
    this.#peer = contact.getId();
    this.#fileInfo = init.fileInfo;
    this.#blob = init.blob;
    this.#kind = init.kind;
    this.#report = init.report;
    this.#port.attach(id, this.#peer, this);
  }

  /** SDK-internal: offers the file to the contact. */
  start(): void {
    const file = { name: this.#fileInfo.name, type: this.#fileInfo.type, size: this.#blob.size };
    this.#port.send(this.#peer, this.getId(), { kind: 'invite', what: 'file', file }).catch((err: unknown) => {
      this.#fail(err, INVITATION_STATUS_EXPIRED);
    });
  }

  /** Withdraws the offer, or stops a running transfer; both sides become CANCELLED. */
  override cancel(): void {
    if (this.#finished) {
      log.error('cancel() - file transfer is over');
      return;
    }
    this.#port.send(this.#peer, this.getId(), { kind: 'cancel' }).catch(() => undefined);
    this.#finish(INVITATION_STATUS_CANCELLED);
  }

  /** SDK-internal: a signal of this transfer from the receiver. */
  onPeerSignal(payload: PeerSignalPayload): void {
    if (this.#finished) return;
    switch (payload.kind) {
      case 'accept':
        this.answered(INVITATION_STATUS_ACCEPTED);
        void this.#transfer();
        return;
      case 'decline':
        this.answered(INVITATION_STATUS_DECLINED);
        this.#finish(null);
        return;
      case 'cancel':
      case 'hangup':
        this.#fail(new Error('the receiver stopped the transfer'), INVITATION_STATUS_CANCELLED);
        return;
      default:
        this.#channel?.signal(payload);
    }
  }

  /** SDK-internal: the signalling session closed. */
  onSessionEnded(): void {
    if (!this.#finished) this.#fail(new Error('session disconnected'), INVITATION_STATUS_ENDED);
  }

  async #transfer(): Promise<void> {
    const channel = new PeerChannel(this.#port, this.#peer, this.getId(), 'open');
    this.#channel = channel;
    const uuid = this.getId();
    const acknowledged = new Promise<void>((resolve) => {
      channel.onMessage = (data) => {
        if (typeof data === 'string' && isDone(data, uuid)) resolve();
      };
    });
    channel.onClosed = (why) => this.#fail(new Error(`connection ${why}`), INVITATION_STATUS_ENDED);
    try {
      await sendPayload(
        channel,
        { uuid, name: this.#fileInfo.name, type: this.#fileInfo.type, kind: this.#kind },
        this.#blob,
        (info) => {
          this.#last = info;
          this.#report.progress({ fileInfo: { ...this.#fileInfo }, transferInformation: info });
        },
        () => this.#finished,
      );
      await acknowledged;
    } catch (err) {
      if (!this.#finished) this.#fail(err, INVITATION_STATUS_ENDED);
      return;
    }
    if (this.#finished) return;
    const last = this.#last;
    if (last) this.#report.sent({ fileInfo: { ...this.#fileInfo }, transferInformation: last });
    this.#port.send(this.#peer, uuid, { kind: 'hangup', reason: 'completed' }).catch(() => undefined);
    this.#finish(INVITATION_STATUS_ENDED);
  }

  #fail(error: unknown, status: symbol): void {
    if (this.#finished) return;
    this.#report.failed({ error, invitationId: this.getId() });
    this.#finish(status);
  }

  #finish(status: symbol | null): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#port.detach(this.getId());
    this.#channel?.close();
    if (status) this.setStatus(status, this.getId());
  }
}

/** Whether `text` is the receiver's acknowledgement of transfer `uuid`. */
function isDone(text: string, uuid: string): boolean {
  try {
    const message = JSON.parse(text) as { t?: unknown; uuid?: unknown };
    return message.t === 'done' && message.uuid === uuid;
  } catch {
    return false;
  }
}
