import {
  DATACHANNEL_STATUS_ENDED,
  DATACHANNEL_STATUS_ONGOING,
  DATACHANNEL_STATUS_WAITING,
  DATACHANNEL_TYPE_RECEIVE,
  DATACHANNEL_TYPE_SEND,
  ERROR_OTHER,
} from '../constants.js';
import { reject } from '../util/errors.js';
import { log } from '../util/Logger.js';
import type { Contact } from './Contact.js';
import { Observable } from './Observable.js';
import { rejectNotSupported } from '../util/unsupported.js';

/** DataChannel events and payloads (docs/sdk-reference.md#datachannel). */
export interface DataChannelEvents {
  response: unknown;
  accepted: undefined;
  declined: undefined;
  error: unknown;
  opened: undefined;
  closed: undefined;
  transferProgress: object;
  transferComplete: object;
  dataReceived: { uuid: string; data: unknown };
  ended: { from: 'local' | 'remote' };
}

const EVENTS = ['response', 'accepted', 'declined', 'error', 'opened', 'closed', 'transferProgress', 'transferComplete', 'dataReceived', 'ended'];

/**
 * A peer-to-peer data channel with one Contact (docs/sdk-reference.md#datachannel). Data channels are not
 * supported yet (docs/roadmap.md#calls-files-and-chat): the SDK never creates them.
 */
export class DataChannel extends Observable<DataChannelEvents> {
  readonly #id: string;
  readonly #contact: Contact | undefined;
  readonly #type: symbol;
  #status: symbol = DATACHANNEL_STATUS_WAITING;

  /** Internal. */
  constructor(id?: string, contact?: Contact, opts?: { receiving?: boolean }) {
    super();
    this.#id = id ?? '';
    this.#contact = contact;
    this.#type = opts?.receiving ? DATACHANNEL_TYPE_RECEIVE : DATACHANNEL_TYPE_SEND;
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

  /** Sends one payload. Rejects 0 when the channel is not ongoing or receive-only. */
  sendData(_data: unknown, _fileInfo?: { name: string; type: string }): Promise<string> {
    if (this.#status !== DATACHANNEL_STATUS_ONGOING) return reject(ERROR_OTHER, 'Cannot send data as datachannel session is not ongoing');
    if (this.#type === DATACHANNEL_TYPE_RECEIVE) return reject(ERROR_OTHER, 'Cannot send data as datachannel session is receiving only');
    return rejectNotSupported('sendData');
  }

  /** Ends the channel (`ended {from: 'local'}`); logs an error when already ended. */
  close(): void {
    if (this.#status === DATACHANNEL_STATUS_ENDED) {
      log.error('close() - datachannel already ended');
      return;
    }
    this.#status = DATACHANNEL_STATUS_ENDED;
    this.emit('ended', { from: 'local' });
  }
}
