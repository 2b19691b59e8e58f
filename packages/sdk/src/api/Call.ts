import { CALL_STATUS_ENDED, CALL_STATUS_WAITING_FOR_CALLEE } from '../constants.js';
import { rejectNotSupported } from '../util/unsupported.js';
import type { Contact } from './Contact.js';
import { Observable } from './Observable.js';
import type { Stream } from './Stream.js';

/** Call events and payloads (docs/sdk-reference.md#call-and-invitations). */
export interface CallEvents {
  streamAdded: Stream;
  streamRemoved: Stream;
  response: unknown;
  accepted: undefined;
  declined: { reason: string };
  hangup: { from: 'local' | 'remote'; reason: string };
  localStreamAvailable: Stream;
  recordAvailable: { mediaURL: string };
  statsUpdate: object;
  error: { errorCode: string; errorInfo: unknown; descriptor?: unknown };
  disconnectionWarning: { tries: number };
  userMediaError: object;
  desktopCapture: object;
  remoteStreamUpdated: object;
  recordingStarted: object;
  recordingStopped: object;
  recordingAvailable: object;
  remoteStreamIdUpdated: { callId: string; newStreamId: number; oldStreamId: number };
}

const EVENTS = [
  'streamAdded',
  'streamRemoved',
  'response',
  'accepted',
  'declined',
  'hangup',
  'localStreamAvailable',
  'recordAvailable',
  'statsUpdate',
  'error',
  'disconnectionWarning',
  'userMediaError',
  'desktopCapture',
  'remoteStreamUpdated',
  'recordingStarted',
  'recordingStopped',
  'recordingAvailable',
  'remoteStreamIdUpdated',
];

/**
 * A 1-1 audio/video or screen-share call with one Contact (docs/sdk-reference.md#call-and-invitations). 1-1 calls are not
 * supported yet (docs/roadmap.md#calls-files-and-chat): the SDK never creates Calls.
 */
export class Call extends Observable<CallEvents> {
  readonly #id: string;
  readonly #contact: Contact | undefined;
  #status: symbol = CALL_STATUS_WAITING_FOR_CALLEE;

  /** Internal. */
  constructor(id?: string, contact?: Contact, _opts?: object) {
    super();
    this.#id = id ?? '';
    this.#contact = contact;
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return [...EVENTS];
  }

  /** callId (numeric string). */
  getId(): string {
    return this.#id;
  }

  /** The other party. */
  getContact(): Contact | undefined {
    return this.#contact;
  }

  /** `CALL_STATUS_*` Symbol. */
  getStatus(): symbol {
    return this.#status;
  }

  /** Ends the call (`hangup {from: 'local'}`); no-op when already ended. */
  hangUp(): void {
    if (this.#status === CALL_STATUS_ENDED) return;
    this.#status = CALL_STATUS_ENDED;
    this.emit('hangup', { from: 'local', reason: 'Hangup_From_Caller' });
  }

  /** Local streams sent in the call. */
  getPublishedStreams(): Stream[] {
    return [];
  }

  /** Remote streams received. */
  getReceivedStreams(): Stream[] {
    return [];
  }

  /** Replaces the media sent. */
  replacePublishedStreams(_stream: Stream, _callbacks?: object): Promise<Stream> {
    return rejectNotSupported('replacePublishedStreams');
  }

  /** P2: last stats snapshot. */
  getStats(): object | null {
    return null;
  }

  /** P2: not supported. */
  stopPublishedStreams(_opts?: unknown): Promise<unknown> {
    return rejectNotSupported('stopPublishedStreams');
  }

  /** P2: call recording is not supported. */
  isRecorded(): boolean {
    return false;
  }

  /** P2: no recording info. */
  getRecordingInfo(): object | null {
    return null;
  }

  /** P2: not supported. */
  startRecording(): Promise<object> {
    return rejectNotSupported('startRecording');
  }

  /** P2: not supported. */
  stopRecording(): Promise<object> {
    return rejectNotSupported('stopRecording');
  }
}
