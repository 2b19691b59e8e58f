import { INVITATION_STATUS_STANDBY } from '../../constants.js';
import { Observable } from '../Observable.js';

/** `statusChange` payload. */
export interface StatusChangeInfo {
  status: symbol;
  id?: string;
}

/** Events of every invitation. */
export interface InvitationEvents {
  statusChange: StatusChangeInfo;
}

/**
 * Abstract base of sent and received invitations (docs/sdk-reference.md#call-and-invitations). Status is one of the
 * `INVITATION_STATUS_*` Symbols: STANDBY → ACCEPTED | DECLINED | EXPIRED | CANCELLED, ENDED later.
 */
export class Invitation<E extends InvitationEvents = InvitationEvents> extends Observable<E> {
  #status: symbol = INVITATION_STATUS_STANDBY;

  /** Event names accepted by `on()`. */
  static override getAvailableEvents(): string[] {
    return ['statusChange'];
  }

  /** Current `INVITATION_STATUS_*` Symbol. */
  getStatus(): symbol {
    return this.#status;
  }

  /** Changes the status and emits `statusChange {status, id}`. */
  protected setStatus(status: symbol, id?: string): void {
    if (status === this.#status) return;
    this.#status = status;
    const info: StatusChangeInfo = id === undefined ? { status } : { status, id };
    // Every invitation has statusChange: seen as the base class, `this` emits it typed.
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- widening `this` to the base class types the emit; no alias is kept
    const self: Invitation = this;
    self.emit('statusChange', info);
  }

  /** True while the invitation is pending. */
  protected get isPending(): boolean {
    return this.#status === INVITATION_STATUS_STANDBY;
  }
}
