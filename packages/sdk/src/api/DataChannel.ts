import { ErrorCode, type PeerSignalPayload } from '@parley/protocol';
import {
  DATACHANNEL_STATUS_ENDED,
  DATACHANNEL_STATUS_ONGOING,
  DATACHANNEL_STATUS_WAITING,
  DATACHANNEL_TYPE_RECEIVE,
  DATACHANNEL_TYPE_SEND,
  ERROR_BAD_PARAMETER,
  ERROR_OTHER,
} from '../constants.js';
import { RequestError } from '../engine/RequestError.js';
import { Queue } from '../media/pcUtil.js';
import { apiError, reject } from '../util/errors.js';
import { randomNumericId } from '../util/ids.js';
import { log } from '../util/Logger.js';
import type { PeerHandler, PeerPort } from './call/PeerPort.js';
import type { Contact } from './Contact.js';
import { PayloadReceiver } from './datachannel/PayloadReceiver.js';
import { PeerChannel } from './datachannel/PeerChannel.js';
import { sendPayload, toBlob, type TransferInformation } from './datachannel/transfer.js';
import { Observable } from './Observable.js';

/** DataChannel events and payloads (docs/sdk-reference.md#datachannel). */
export interface DataChannelEvents {
  response: unknown;
  accepted: undefined;
  declined: undefined;
  error: unknown;
  opened: undefined;
  closed: undefined;
  transferProgress: TransferInformation;
  transferComplete: TransferInformation;
  dataReceived: { uuid: string; data: unknown };
  ended: { from: 'local' | 'remote' };
}

const EVENTS = ['response', 'accepted', 'declined', 'error', 'opened', 'closed', 'transferProgress', 'transferComplete', 'dataReceived', 'ended'];

/**
 * A peer-to-peer data channel with one Contact (docs/sdk-reference.md#datachannel): the opener (TYPE_SEND) sends
 * payloads, the acceptor (TYPE_RECEIVE) receives them. WAITING → ONGOING (channel open) → ENDED
 * (closed by either side, declined, or the connection failed). Payloads go in chunks with
 * back-pressure; `sendData` resolves once the receiver has the whole payload.
 */
export class DataChannel extends Observable<DataChannelEvents> implements PeerHandler {
  readonly #id: string;
  readonly #contact: Contact | undefined;
  readonly #type: symbol;
  readonly #port: PeerPort | undefined;
  readonly #sends = new Queue();
  readonly #acks = new Map<string, () => void>();
  #status: symbol = DATACHANNEL_STATUS_WAITING;
  #channel: PeerChannel | null = null;

  /** Internal. */
  constructor(id?: string, contact?: Contact, opts?: { receiving?: boolean; port?: PeerPort }) {
    super();
    this.#id = id ?? '';
    this.#contact = contact;
    this.#type = opts?.receiving ? DATACHANNEL_TYPE_RECEIVE : DATACHANNEL_TYPE_SEND;
    this.#port = opts?.port;
    if (this.#port && contact) this.#port.attach(this.#id, contact.getId(), this);
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return [...EVENTS];
  }

  /** Channel id. */
  getId(): string {
    return this.#id;
  }

  /** The peer. */
  getContact(): Contact | undefined {
    return this.#contact;
  }

  /** `DATACHANNEL_TYPE_SEND` (opener) or `DATACHANNEL_TYPE_RECEIVE`. */
  getType(): symbol {
    return this.#type;
  }

  /** `DATACHANNEL_STATUS_*` Symbol. */
  getStatus(): symbol {
    return this.#status;
  }

  /**
   * Sends one payload (string, Blob/File, ArrayBuffer or view); resolves its transfer uuid once
   * the receiver has all of it. Rejects 0 when the channel is not ongoing or receive-only, 9 for
   * another kind of data. Payloads are sent one after the other.
   */
  sendData(data: unknown, fileInfo?: { name: string; type: string }): Promise<string> {
    if (this.#status !== DATACHANNEL_STATUS_ONGOING) return reject(ERROR_OTHER, 'Cannot send data as datachannel session is not ongoing');
    if (this.#type === DATACHANNEL_TYPE_RECEIVE) return reject(ERROR_OTHER, 'Cannot send data as datachannel session is receiving only');
    const payload = toBlob(data, fileInfo?.type ?? '');
    if (!payload) return reject(ERROR_BAD_PARAMETER, 'sendData() - data must be a string, Blob, ArrayBuffer or ArrayBufferView');
    const channel = this.#channel;
    if (!channel) return reject(ERROR_OTHER, 'Cannot send data as datachannel session is not ongoing');
    const uuid = randomNumericId();
    return this.#sends.run(async () => {
      let last: TransferInformation | null = null;
      const acknowledged = new Promise<void>((resolve) => this.#acks.set(uuid, resolve));
      try {
        await sendPayload(
          channel,
          { uuid, name: fileInfo?.name ?? '', type: fileInfo?.type ?? payload.blob.type, kind: payload.kind },
          payload.blob,
          (info) => {
            last = info;
            this.emit('transferProgress', info);
          },
          () => this.#status !== DATACHANNEL_STATUS_ONGOING,
        );
        await acknowledged;
      } catch (err) {
        throw apiError(ERROR_OTHER, 'Cannot send data as datachannel session is not ongoing', err);
      } finally {
        this.#acks.delete(uuid);
      }
      if (this.#status !== DATACHANNEL_STATUS_ONGOING) throw apiError(ERROR_OTHER, 'Cannot send data as datachannel session is not ongoing');
      if (last) this.emit('transferComplete', last);
      return uuid;
    });
  }

  /** Ends the channel for both sides (`closed`, `ended {from: 'local'}`); logs an error when already ended. */
  close(): void {
    if (this.#status === DATACHANNEL_STATUS_ENDED) {
      log.error('close() - datachannel already ended');
      return;
    }
    const contact = this.#contact;
    if (this.#port && contact) this.#port.send(contact.getId(), this.#id, { kind: 'hangup', reason: 'closed' }).catch(() => undefined);
    this.#end('local');
  }

  /** SDK-internal, opener: offers the channel to the contact. */
  start(): void {
    const port = this.#port;
    const contact = this.#contact;
    if (!port || !contact) return;
    port.send(contact.getId(), this.#id, { kind: 'invite', what: 'dataChannel' }).catch((err: unknown) => {
      const notFound = err instanceof RequestError && err.kind === 'answer' && err.code === ErrorCode.NOT_FOUND;
      this.emit('error', { error: notFound ? 'User_Not_Found' : 'signalling error', fromError: err });
      this.#end('remote');
    });
  }

  /** SDK-internal, acceptor: the invitation was accepted. */
  answer(): void {
    const port = this.#port;
    const contact = this.#contact;
    if (!port || !contact) return;
    this.#open('accept');
    port.send(contact.getId(), this.#id, { kind: 'accept' }).catch((err: unknown) => {
      this.emit('error', err);
      this.#end('remote');
    });
  }

  /** SDK-internal: a signal of this channel from the peer. */
  onPeerSignal(payload: PeerSignalPayload): void {
    if (this.#status === DATACHANNEL_STATUS_ENDED) return;
    switch (payload.kind) {
      case 'accept':
        if (this.#type !== DATACHANNEL_TYPE_SEND || this.#channel) return;
        this.emit('accepted');
        this.#open('open');
        return;
      case 'decline':
        this.emit('declined');
        this.#end(null);
        return;
      case 'cancel':
      case 'hangup':
        this.#end('remote');
        return;
      default:
        this.#channel?.signal(payload);
    }
  }

  /** SDK-internal: the signalling session closed. */
  onSessionEnded(): void {
    this.#end('local');
  }

  #open(role: 'open' | 'accept'): void {
    const port = this.#port;
    const contact = this.#contact;
    if (!port || !contact) return;
    const channel = new PeerChannel(port, contact.getId(), this.#id, role);
    this.#channel = channel;
    const receiver = new PayloadReceiver();
    receiver.ack = (done) => void channel.send(JSON.stringify(done)).catch(() => undefined);
    receiver.onProgress = (info) => this.emit('transferProgress', info);
    receiver.onPayload = (payload, info) => {
      this.emit('transferComplete', info);
      this.emit('dataReceived', { uuid: payload.uuid, data: payload.data });
    };
    receiver.onError = (error) => this.emit('error', error);
    channel.onMessage = (data) => {
      if (typeof data === 'string' && this.#ack(data)) return;
      receiver.receive(data);
    };
    channel.onClosed = (why) => {
      if (why !== 'closed') this.emit('error', new Error(`data channel ${why}`));
      this.#end('remote');
    };
    channel.opened.then(
      () => {
        if (this.#status !== DATACHANNEL_STATUS_WAITING) return;
        this.#status = DATACHANNEL_STATUS_ONGOING;
        this.emit('opened');
      },
      () => undefined,
    );
  }

  /** Handles a receiver acknowledgement; false when `text` is not one. */
  #ack(text: string): boolean {
    try {
      const message = JSON.parse(text) as { t?: unknown; uuid?: unknown };
      if (message.t !== 'done' || typeof message.uuid !== 'string') return false;
      this.#acks.get(message.uuid)?.();
      return true;
    } catch {
      return false;
    }
  }

  #end(from: 'local' | 'remote' | null): void {
    if (this.#status === DATACHANNEL_STATUS_ENDED) return;
    const wasOpen = this.#status === DATACHANNEL_STATUS_ONGOING;
    this.#status = DATACHANNEL_STATUS_ENDED;
    this.#port?.detach(this.#id);
    this.#channel?.close();
    // Pending sendData calls wake up and reject: the channel is no longer ongoing.
    for (const resolve of this.#acks.values()) resolve();
    if (wasOpen) this.emit('closed');
    if (from) this.emit('ended', { from });
  }
}
