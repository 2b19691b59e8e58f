import { ErrorCode, type PeerSignalPayload } from '@parley/protocol';
import { CALL_STATUS_ENDED, CALL_STATUS_ONGOING, CALL_STATUS_WAITING_FOR_CALLEE } from '../constants.js';
import { RequestError } from '../engine/RequestError.js';
import { randomSafeInteger } from '../util/ids.js';
import { log } from '../util/Logger.js';
import { notSupportedError, rejectNotSupported } from '../util/unsupported.js';
import type { CallStats } from '../quality/callStats.js';
import { CallQuality } from './call/CallQuality.js';
import { HANGUP_FROM_CALLEE, HANGUP_FROM_CALLER, NO_ANSWER, USER_NOT_FOUND, type CallInit } from './call/CallInit.js';
import { PeerLink } from './call/PeerLink.js';
import type { PeerHandler } from './call/PeerPort.js';
import type { Contact } from './Contact.js';
import { Observable } from './Observable.js';
import { createRemoteStream, type Stream } from './Stream.js';

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
  statsUpdate: CallStats;
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

/** Remote streams of a call take no remote control (that is a conversation feature). */
const NO_RELAY = { relay: (): Promise<unknown> => Promise.reject(notSupportedError('relay')) };

/**
 * A 1-1 audio/video or screen-share call with one Contact (docs/sdk-reference.md#call-and-invitations), peer to
 * peer over a {@link PeerLink}. WAITING_FOR_CALLEE → ONGOING (callee accepted) → ENDED (either
 * side hung up, declined, or the connection failed); ENDED is final and every path to it runs
 * {@link #end} once.
 */
export class Call extends Observable<CallEvents> implements PeerHandler {
  readonly #id: string;
  readonly #contact: Contact | undefined;
  readonly #init: CallInit | undefined;
  #status: symbol = CALL_STATUS_WAITING_FOR_CALLEE;
  #link: PeerLink | null = null;
  #local: Stream | null = null;
  #ownsLocal = false;
  /** The local stream is on the connection (see {@link #addLocal}). */
  #localAdded = false;
  #remote: Stream[] = [];
  /** The local stream is known (acquired or given): media can be added once the link exists. */
  #localReady: Promise<void> = Promise.resolve();
  /** Statistics, from the time the connection exists. */
  #quality: CallQuality | null = null;
  /** Caller side: ends the call when the callee's invitation rings out unanswered. */
  #ringing: ReturnType<typeof setTimeout> | undefined;

  /** Internal: apps get Calls from `contact.call()`, `invitation.accept()` and `incomingScreenSharingCall`. */
  constructor(id?: string, contact?: Contact, opts?: object) {
    super();
    this.#id = id ?? '';
    this.#contact = contact;
    this.#init = opts && 'port' in opts ? (opts as CallInit) : undefined;
    if (this.#init) this.#init.port.attach(this.#id, contact?.getId() ?? '', this);
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

  /** Ends the call for both sides; before the callee answered it withdraws the invitation. No-op when ended. */
  hangUp(): void {
    if (this.#status === CALL_STATUS_ENDED) return;
    const init = this.#init;
    const reason = init?.role === 'callee' ? HANGUP_FROM_CALLEE : HANGUP_FROM_CALLER;
    if (init && this.#contact) {
      const payload: PeerSignalPayload = this.#status === CALL_STATUS_WAITING_FOR_CALLEE ? { kind: 'cancel' } : { kind: 'hangup', reason };
      init.port.send(this.#contact.getId(), this.#id, payload).catch((err: unknown) => log.debug('hangup not delivered', err));
    }
    this.#end('local', reason);
  }

  /** Local streams sent in the call. */
  getPublishedStreams(): Stream[] {
    return this.#local ? [this.#local] : [];
  }

  /** Remote streams received. */
  getReceivedStreams(): Stream[] {
    return [...this.#remote];
  }

  /**
   * Sends `stream` instead of the current local stream (camera switch, screen): the tracks are
   * swapped on the connection without renegotiation when the kinds match. Resolves `stream`.
   */
  async replacePublishedStreams(stream: Stream, _callbacks?: object): Promise<Stream> {
    if (this.#status === CALL_STATUS_ENDED) throw new Error('CALL_NOT_FOUND');
    const ms = stream?.data;
    if (!ms) throw new Error('replacePublishedStreams() - stream has no data');
    await this.#localReady;
    const old = this.#local;
    const link = this.#link;
    if (link && this.#localAdded && old?.data) await link.mesh.replaceStream(old.data.id, ms);
    else if (link && this.#localAdded) link.mesh.addStream(ms, { audio: true, video: true });
    if (old && this.#ownsLocal && old !== stream) old.release();
    this.#local = stream;
    this.#ownsLocal = false;
    return stream;
  }

  /**
   * The last statistics report (the payload of the last `statsUpdate`); null until monitoring
   * (`userAgent.enableCallStatsMonitoring(true)`) produced one. Kept after the call ended.
   */
  getStats(): CallStats | null {
    return this.#quality?.last ?? null;
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

  /**
   * SDK-internal, caller side: acquires the local media, then rings the callee. An absent callee
   * ends the call with `User_Not_Found`.
   */
  start(): void {
    const init = this.#init;
    const contact = this.#contact;
    if (!init || !contact) return;
    this.#localReady = this.#takeLocal(init);
    void this.#localReady.then(async () => {
      if (this.#status === CALL_STATUS_ENDED) return;
      try {
        await init.port.send(contact.getId(), this.#id, {
          kind: 'invite',
          what: init.callType === 'screenSharing' ? 'screenCall' : 'call',
          callType: init.callType,
          ...(init.expiresInMs === undefined ? {} : { expiresInMs: init.expiresInMs }),
        });
        // The callee's invitation expires by itself after this long; the caller must not wait forever.
        if (init.expiresInMs !== undefined && this.#status === CALL_STATUS_WAITING_FOR_CALLEE) {
          this.#ringing = setTimeout(() => this.#ringOut(), init.expiresInMs);
        }
      } catch (err) {
        if (this.#status === CALL_STATUS_ENDED) return;
        const notFound = err instanceof RequestError && err.kind === 'answer' && err.code === ErrorCode.NOT_FOUND;
        this.emit('error', { errorCode: notFound ? USER_NOT_FOUND : 'SIGNALLING_ERROR', errorInfo: err });
        this.#end('remote', notFound ? USER_NOT_FOUND : 'disconnected');
      }
    });
  }

  /** SDK-internal, callee side: the invitation was accepted; acquire media and connect. */
  answer(): void {
    const init = this.#init;
    const contact = this.#contact;
    if (!init || !contact) return;
    this.#status = CALL_STATUS_ONGOING;
    this.#localReady = this.#takeLocal(init);
    void this.#localReady.then(() => {
      if (this.#status === CALL_STATUS_ENDED || !this.#connectOrFail()) return;
      init.port.send(contact.getId(), this.#id, { kind: 'accept' }).catch((err: unknown) => {
        this.emit('error', { errorCode: 'SIGNALLING_ERROR', errorInfo: err });
        this.#end('remote', 'disconnected');
      });
    });
  }

  /** SDK-internal: a signal of this call from the other party. */
  onPeerSignal(payload: PeerSignalPayload): void {
    if (this.#status === CALL_STATUS_ENDED) return;
    switch (payload.kind) {
      case 'accept':
        if (this.#init?.role !== 'caller' || this.#status !== CALL_STATUS_WAITING_FOR_CALLEE) return;
        this.#status = CALL_STATUS_ONGOING;
        this.emit('accepted');
        void this.#localReady.then(() => {
          if (this.#status === CALL_STATUS_ONGOING) this.#connectOrFail();
        });
        return;
      case 'decline':
        this.#end('remote', payload.reason);
        this.emit('declined', { reason: payload.reason });
        return;
      case 'cancel':
        this.#end('remote', HANGUP_FROM_CALLER);
        return;
      case 'hangup':
        this.#end('remote', payload.reason);
        return;
      case 'offer':
      case 'answer':
      case 'candidate':
        if (this.#status !== CALL_STATUS_ONGOING) return;
        void this.#connectOrFail()
          ?.signal(payload)
          .then(() => {
            // The callee's media goes on once the caller's first offer is answered: no glare.
            if (payload.kind === 'offer') this.#addLocal();
          });
        return;
      default:
        return;
    }
  }

  /** SDK-internal: the signalling session closed for good. */
  onSessionEnded(): void {
    this.#end('local', 'disconnected');
  }

  async #takeLocal(init: CallInit): Promise<void> {
    try {
      const { stream, acquired } = await init.localStream();
      if (this.#status === CALL_STATUS_ENDED) {
        if (acquired) stream?.release();
        return;
      }
      this.#local = stream;
      this.#ownsLocal = acquired;
      if (stream && acquired) this.emit('localStreamAvailable', stream);
    } catch (error) {
      this.emit('userMediaError', { onCallEstablishment: true, callType: init.callType, error, userMediaStreamId: null, tryAudioCallActivated: false });
      if (init.role === 'caller') this.hangUp();
    }
  }

  /** {@link #connect}, ending the call (`error`, `hangup`) when no connection can be made. */
  #connectOrFail(): PeerLink | null {
    try {
      return this.#connect();
    } catch (err) {
      this.emit('error', { errorCode: 'PEER_CONNECTION_FAILED', errorInfo: err });
      this.#hangUpWith('disconnected');
      return null;
    }
  }

  /** The link, created on first use with the local media on it. */
  #connect(): PeerLink {
    if (this.#link) return this.#link;
    const init = this.#init;
    if (!init || !this.#contact) throw new Error('call without session');
    const link = new PeerLink(init.port, this.#contact.getId(), this.#id);
    link.onRemoteStream = (ms) => this.#onRemoteStream(ms);
    link.onFailure = (why) => {
      this.emit('error', { errorCode: why, errorInfo: 'peer connection failed' });
      this.#hangUpWith(why);
    };
    this.#link = link;
    if (init.quality) {
      this.#quality = new CallQuality(init.quality, {
        pc: () => (this.#status === CALL_STATUS_ENDED ? null : link.pc),
        emit: (stats) => this.emit('statsUpdate', stats),
      });
    }
    // The caller offers first; a callee adds its media at once only when the caller sends none.
    if (init.role === 'caller' || init.remoteSends === false) this.#addLocal();
    return link;
  }

  /** Puts the local stream on the connection, once (negotiation follows by itself). */
  #addLocal(): void {
    const ms = this.#local?.data;
    if (this.#localAdded || !this.#link || this.#status !== CALL_STATUS_ONGOING) return;
    this.#localAdded = true;
    if (ms) this.#link.mesh.addStream(ms, { audio: true, video: true });
  }

  /** Ends the call for both sides with `reason` (connection failure). */
  #hangUpWith(reason: string): void {
    if (this.#status === CALL_STATUS_ENDED || !this.#init || !this.#contact) return;
    this.#init.port.send(this.#contact.getId(), this.#id, { kind: 'hangup', reason }).catch(() => undefined);
    this.#end('local', reason);
  }

  #onRemoteStream(ms: MediaStream): void {
    if (this.#status === CALL_STATUS_ENDED || !this.#contact) return;
    const screensharing = this.#init?.callType === 'screenSharing' && this.#init.role === 'callee';
    const stream = createRemoteStream(ms, this.#contact, {
      streamId: randomSafeInteger(),
      callId: this.#id,
      link: NO_RELAY,
      audioEnabled: true,
      videoEnabled: true,
      screensharing,
    });
    this.#remote.push(stream);
    this.emit('streamAdded', stream);
  }

  /** Caller side: nobody answered before the invitation's expiry; withdraw it and end the call. */
  #ringOut(): void {
    if (this.#status !== CALL_STATUS_WAITING_FOR_CALLEE || !this.#init || !this.#contact) return;
    this.#init.port.send(this.#contact.getId(), this.#id, { kind: 'cancel' }).catch(() => undefined);
    this.#end('remote', NO_ANSWER);
  }

  #end(from: 'local' | 'remote', reason: string): void {
    if (this.#status === CALL_STATUS_ENDED) return;
    this.#status = CALL_STATUS_ENDED;
    clearTimeout(this.#ringing);
    this.#init?.port.detach(this.#id);
    this.#quality?.close();
    this.#link?.close();
    const remote = this.#remote;
    this.#remote = [];
    for (const stream of remote) this.emit('streamRemoved', stream);
    this.emit('hangup', { from, reason });
    if (this.#ownsLocal) this.#local?.release();
    this.#init?.ended();
  }
}
