import type { PeerSignalPayload } from '@parley/protocol';
import { ERROR_INVITATION_STATE_INVALID, INVITATION_STATUS_ACCEPTED, INVITATION_STATUS_EXPIRED } from '../../constants.js';
import { reject } from '../../util/errors.js';
import type { Call } from '../Call.js';
import { USER_REFUSED_CALL } from '../call/CallInit.js';
import type { PeerHandler, PeerPort } from '../call/PeerPort.js';
import type { Contact } from '../Contact.js';
import type { Stream } from '../Stream.js';
import type { InvitationEvents } from './Invitation.js';
import { ReceivedInvitation } from './ReceivedInvitation.js';

/** Events of a {@link ReceivedCallInvitation}. */
export interface ReceivedCallInvitationEvents extends InvitationEvents {
  expired: undefined;
}

/** `AnswerOptions` (docs/sdk-reference.md#call-and-invitations). */
export interface AnswerOptions {
  mediaTypeForIncomingCall?: string;
  muted?: string;
}

/** How an invitation answers (internal): builds the callee's Call once accepted. */
export interface CallAnswering {
  port: PeerPort;
  answer: (stream: Stream | null, opts: AnswerOptions) => Call;
  /** The invitation lapses (EXPIRED) after this long unanswered. */
  expiresInMs: number;
}

/** How long an incoming call rings when the caller's invite names no expiry (like conversation invitations). */
export const CALL_INVITATION_EXPIRY_MS = 60_000;

/**
 * Delivered by Session/Contact `incomingCall` (docs/sdk-reference.md#call-and-invitations). STANDBY → ACCEPTED
 * (`accept()`), DECLINED (`decline()`, the caller gets `declined`), or EXPIRED (`expired`: the
 * caller hung up first, or nobody answered within the invite's expiry — the only end of the
 * ringing when the caller's browser vanished without hanging up).
 */
export class ReceivedCallInvitation extends ReceivedInvitation<ReceivedCallInvitationEvents> implements PeerHandler {
  readonly #callType: string;
  readonly #answering: CallAnswering | undefined;
  #call: Call | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Internal. */
  constructor(sender?: Contact, id?: string, calltype?: string, answering?: CallAnswering) {
    super(sender, null, id);
    this.#callType = calltype ?? 'media';
    this.#answering = answering;
    if (answering && sender) {
      answering.port.attach(this.getId(), sender.getId(), this);
      this.#timer = setTimeout(() => this.#expire(), answering.expiresInMs);
    }
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return ['expired', 'statusChange'];
  }

  /** Answers the call and resolves its Call at once (media follows as Call events). Rejects 10 when not pending. */
  override accept(stream?: Stream | null, opts?: AnswerOptions): Promise<Call> {
    if (!this.isPending || !this.#answering) {
      return reject(ERROR_INVITATION_STATE_INVALID, 'accept() - Cannot join this call, invitation state invalid');
    }
    // The Call takes over the session's signals from here.
    this.#answering.port.detach(this.getId());
    this.setStatus(INVITATION_STATUS_ACCEPTED, this.getId());
    const call = this.#answering.answer(stream ?? null, opts && typeof opts === 'object' ? opts : {});
    this.#call = call;
    return Promise.resolve(call);
  }

  /** `'audio' | 'media' | 'videoOnly' | 'screenSharing' | …`. */
  getCallType(): string {
    return this.#callType;
  }

  /** The Call of this invitation (null until accepted). */
  getCall(): Call | null {
    return this.#call;
  }

  /** P2: whether the caller asked for recording. */
  isRecorded(): boolean {
    return false;
  }

  /** SDK-internal: the caller withdrew (EXPIRED); other signals wait for the Call. */
  onPeerSignal(payload: PeerSignalPayload): void {
    if (payload.kind === 'cancel' || payload.kind === 'hangup') this.#expire();
  }

  /** SDK-internal: the signalling session closed. */
  onSessionEnded(): void {
    this.#expire();
  }

  /** Every answer (or lapse) ends the ringing. */
  protected override setStatus(status: symbol, id?: string): void {
    clearTimeout(this.#timer);
    super.setStatus(status, id);
  }

  protected override declined(reason: string | undefined): void {
    const sender = this.getSender();
    if (!this.#answering || !sender) return;
    this.#answering.port.detach(this.getId());
    this.#answering.port.send(sender.getId(), this.getId(), { kind: 'decline', reason: reason ?? USER_REFUSED_CALL }).catch(() => undefined);
  }

  #expire(): void {
    if (!this.isPending) return;
    this.#answering?.port.detach(this.getId());
    this.setStatus(INVITATION_STATUS_EXPIRED, this.getId());
    this.emit('expired');
  }
}
