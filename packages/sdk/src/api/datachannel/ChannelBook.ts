import type { PeerFileInfo } from '@parley/protocol';
import { log } from '../../util/Logger.js';
import { randomNumericId } from '../../util/ids.js';
import type { PeerPort } from '../call/PeerPort.js';
import type { Contact } from '../Contact.js';
import { DataChannel } from '../DataChannel.js';
import { EMIT } from '../internal.js';
import { ReceivedDataChannelInvitation } from '../invitations/ReceivedDataChannelInvitation.js';
import { ReceivedFileTransferInvitation } from '../invitations/ReceivedFileTransferInvitation.js';
import { SentFileTransferInvitation } from '../invitations/SentFileTransferInvitation.js';
import { toBlob } from './transfer.js';

/** Where incoming data channels and files are announced (Session and Contact events). */
export interface ChannelSink {
  dataChannelInvitation(invitation: ReceivedDataChannelInvitation): void;
  fileTransferInvitation(invitation: ReceivedFileTransferInvitation): void;
}

/**
 * The Session's data channels and peer-to-peer file transfers (docs/sdk-reference.md#datachannel): makes the
 * opener's DataChannel and the sender's invitation, and turns incoming invites into invitations.
 */
export class ChannelBook {
  readonly #port: PeerPort;
  readonly #sink: ChannelSink;
  readonly #autoAccept: boolean;

  constructor(port: PeerPort, sink: ChannelSink, opts: { userAcceptOnIncomingDataCall: boolean }) {
    this.#port = port;
    this.#sink = sink;
    this.#autoAccept = !opts.userAcceptOnIncomingDataCall;
  }

  /** `contact.startDataChannel()`: null (logged) for the local user. */
  startDataChannel(contact: Contact): DataChannel | null {
    if (this.#isSelf(contact, 'startDataChannel')) return null;
    const channel = new DataChannel(randomNumericId(), contact, { port: this.#port });
    channel.start();
    return channel;
  }

  /** `contact.sendFile(fileInfo, data)`: null (logged) without a file or for the local user. */
  sendFile(contact: Contact, fileInfo: { name: string; type: string }, data: unknown): SentFileTransferInvitation | null {
    if (this.#isSelf(contact, 'sendFile')) return null;
    const info = { name: String(fileInfo?.name ?? ''), type: String(fileInfo?.type ?? '') };
    const payload = toBlob(data, info.type);
    if (!payload) {
      log.error('sendFile() - missing file: data must be a File, Blob, ArrayBuffer, ArrayBufferView or string');
      return null;
    }
    const invitation = new SentFileTransferInvitation(contact, randomNumericId(), {
      port: this.#port,
      fileInfo: info,
      blob: payload.blob,
      kind: payload.kind === 'text' ? 'blob' : payload.kind,
      report: {
        progress: (e) => contact[EMIT]('fileTransferProgress', e),
        sent: (e) => contact[EMIT]('fileSentSuccessfully', e),
        failed: (e) => contact[EMIT]('fileTransferError', e),
      },
    });
    invitation.start();
    return invitation;
  }

  /** A data channel invite from `from`. */
  incomingChannel(from: Contact, id: string): void {
    const invitation = new ReceivedDataChannelInvitation(from, id, {
      port: this.#port,
      open: () => {
        const channel = new DataChannel(id, from, { receiving: true, port: this.#port });
        channel.answer();
        return channel;
      },
    });
    // With userAcceptOnIncomingDataCall false the channel is accepted at once; the invitation
    // (already ACCEPTED) is still announced so that the app can reach the channel it resolved.
    if (this.#autoAccept) void invitation.accept();
    this.#sink.dataChannelInvitation(invitation);
  }

  /** A file offered by `from`. */
  incomingFile(from: Contact, id: string, file: PeerFileInfo | undefined): void {
    if (!file) return;
    const invitation = new ReceivedFileTransferInvitation(from, id, { name: file.name, type: file.type }, { port: this.#port, size: file.size });
    this.#sink.fileTransferInvitation(invitation);
  }

  #isSelf(contact: Contact, method: string): boolean {
    if (contact.getId() !== this.#port.selfId()) return false;
    log.error(`${method}() - cannot open a peer session with yourself`);
    return true;
  }
}
