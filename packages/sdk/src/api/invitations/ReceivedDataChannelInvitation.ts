import type { PeerSignalPayload } from '@parley/protocol';
import { ERROR_INVITATION_STATE_INVALID, INVITATION_STATUS_ACCEPTED, INVITATION_STATUS_EXPIRED } from '../../constants.js';
import { reject } from '../../util/errors.js';
import type { PeerHandler, PeerPort } from '../call/PeerPort.js';
import type { Contact } from '../Contact.js';
import type { DataChannel } from '../DataChannel.js';
import type { InvitationEvents } from './Invitation.js';
import { ReceivedInvitation } from './ReceivedInvitation.js';

/** Events of a {@link ReceivedDataChannelInvitation}. */
export interface ReceivedDataChannelInvitationEvents extends InvitationEvents {
  expired: undefined;
}

/** Delivered by Session/Contact `dataChannelInvitation` (runtime-only class in apiRTC). EXPIRED when the opener gives up first. */
export class ReceivedDataChannelInvitation extends ReceivedInvitation<ReceivedDataChannelInvitationEvents> implements PeerHandler {
  readonly #port: PeerPort | undefined;
  readonly #open: (() => DataChannel) | undefined;

  /** Internal. */
  constructor(sender?: Contact, id?: string, init?: { port: PeerPort; open: () => DataChannel }) {
    super(sender, null, id);
    this.#port = init?.port;
    this.#open = init?.open;
    if (this.#port && sender) this.#port.attach(this.getId(), sender.getId(), this);
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return ['expired', 'statusChange'];
  }

  /** Accepts; resolves the receiving DataChannel. Rejects 10 when not pending. */
  override accept(): Promise<DataChannel> {
    if (!this.isPending || !this.#port || !this.#open) {
      return reject(ERROR_INVITATION_STATE_INVALID, 'accept() - Cannot join this datachannel session, invitation state invalid');
    }
    this.#port.detach(this.getId());
    this.setStatus(INVITATION_STATUS_ACCEPTED, this.getId());
    return Promise.resolve(this.#open());
  }

  /** SDK-internal: the opener withdrew (EXPIRED). */
  onPeerSignal(payload: PeerSignalPayload): void {
    if (payload.kind === 'cancel' || payload.kind === 'hangup') this.#expire();
  }

  /** SDK-internal: the signalling session closed. */
  onSessionEnded(): void {
    this.#expire();
  }

  protected override declined(reason: string | undefined): void {
    const sender = this.getSender();
    this.#port?.detach(this.getId());
    if (sender) this.#port?.send(sender.getId(), this.getId(), { kind: 'decline', reason: reason ?? 'declined' }).catch(() => undefined);
  }

  #expire(): void {
    if (!this.isPending) return;
    this.#port?.detach(this.getId());
    this.setStatus(INVITATION_STATUS_EXPIRED, this.getId());
    this.emit('expired');
  }
}
