import { ErrorCode, type HistoryResult } from '@parley/protocol';
import { ERROR_BAD_PARAMETER, ERROR_NOT_FOUND, ERROR_OTHER, ERROR_TIMED_OUT } from '../constants.js';
import { RequestError } from '../engine/RequestError.js';
import { apiError, type ApiRTCError } from '../util/errors.js';
import { log } from '../util/Logger.js';
import { rejectNotSupported, throwNotSupported } from '../util/unsupported.js';
import type { Call } from './Call.js';
import { loadMessageHistory, type LoadMessageHistoryOptions } from './contact/messageHistory.js';
import type { DataChannel } from './DataChannel.js';
import type { SentInvitation } from './invitations/SentInvitation.js';
import { RECORD_MESSAGE, SET_AUTHENTICATED } from './internal.js';
import { Observable } from './Observable.js';
import type { Stream } from './Stream.js';
import { UserData } from './UserData.js';

/** What a contact-to-contact delivery carries (protocol `contact.send`). */
export type Delivery = { kind: 'data'; content: unknown } | { kind: 'message'; content: string } | { kind: 'customEvent'; event: string; content: unknown };

/** The Session side of a Contact: presence lookups and deliveries (internal). */
export interface ContactHost {
  /** Whether `id` is currently in `group` (a watched group). */
  inGroup(id: string, group: string): boolean;
  /** Whether `id` is in at least one watched group. */
  isOnline(id: string): boolean;
  /** Sends to `to`; resolves the server's `{uuid}`; rejects a RequestError. */
  deliver(to: string, delivery: Delivery): Promise<{ uuid: number }>;
  /** The Contact standing for the local user (sender of our own history entries). */
  self(): Contact;
  /** Reads a page of the stored 1-1 thread with `id`; rejects a RequestError. */
  history(id: string, page: { count?: number; before?: number; beforeTime?: number }): Promise<HistoryResult>;
  /** Peer-to-peer sessions with a contact: calls, data channels, files. */
  peers?(): ContactPeers;
}

/** The Session's peer-to-peer services as a Contact uses them (internal). */
export interface ContactPeers {
  call(contact: Contact, stream: Stream | null, opts: object): Call | null;
  shareScreen(contact: Contact, opts: object): Call | null;
  sendFile(contact: Contact, fileInfo: { name: string; type: string }, data: unknown, opts: object): SentInvitation | null;
  startDataChannel(contact: Contact, opts: object): DataChannel | null;
}

/** One 1-1 chat message of `getPreviousMessages()`. */
export interface ContactMessage {
  content: string;
  sender: Contact;
  time: Date;
  uuid: number;
  metadata?: object;
}

/** Contact events and payloads (docs/sdk-reference.md#contact). Invitation and call payloads come with 1-1 calls (docs/roadmap.md#calls-files-and-chat). */
export interface ContactEvents {
  message: { content: string; uuid: number; time: Date };
  conversationInvitation: unknown;
  data: unknown;
  joinGroup: string;
  leaveGroup: string;
  whiteboardInvitation: unknown;
  fileSentSuccessfully: object;
  fileTransferInvitation: unknown;
  fileTransferProgress: object;
  dataChannelInvitation: unknown;
  incomingCall: unknown;
  internalApiRTCdataChannelInvitation: unknown;
  newMediaAvailable: object;
  customEvent: { event: string; content: unknown; conversation?: unknown };
  fileTransferError: { error: unknown; invitationId: string };
  incomingScreenSharingCall: Call;
  incomingScreenSharingCallInvitation: unknown;
}

const EVENTS = [
  'message',
  'conversationInvitation',
  'data',
  'joinGroup',
  'leaveGroup',
  'whiteboardInvitation',
  'fileSentSuccessfully',
  'fileTransferInvitation',
  'fileTransferProgress',
  'dataChannelInvitation',
  'incomingCall',
  'internalApiRTCdataChannelInvitation',
  'newMediaAvailable',
  'customEvent',
  'fileTransferError',
  'incomingScreenSharingCall',
  'incomingScreenSharingCallInvitation',
];

/** How long a delivery waits for the server's acknowledgement (apiRTC value), in ms. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Maps a failed delivery to apiRTC's rejection (docs/sdk-reference.md#errors): 8 not connected, 11 no acknowledgement in
 * time, else 0 with `otherMessage`.
 */
export function deliveryError(method: string, err: unknown, otherMessage: string): ApiRTCError {
  if (err instanceof RequestError) {
    if (err.kind === 'answer' && err.code === ErrorCode.NOT_FOUND) return apiError(ERROR_NOT_FOUND, `${method}() - Contact was not found `, err);
    if (err.kind === 'timeout') return apiError(ERROR_TIMED_OUT, `${method}() - Data transmission timed out `, err);
  }
  return apiError(ERROR_OTHER, `${method}() - ${otherMessage}`, err);
}

/**
 * A remote user as seen by the local session (docs/sdk-reference.md#contact). Exactly one per id per session
 * (`session.getOrCreateContact`): every payload carrying this user carries this object.
 */
export class Contact extends Observable<ContactEvents> {
  readonly #id: string;
  readonly #userData: UserData;
  readonly #host: ContactHost | undefined;
  readonly #history: ContactMessage[] = [];
  #authenticated = false;

  /** Internal; apps use `session.getOrCreateContact(id)`. */
  constructor(id: string, userData?: object | null, opts?: { host?: ContactHost }) {
    super();
    this.#id = String(id);
    this.#userData = new UserData(userData ?? {});
    this.#host = opts?.host;
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return [...EVENTS];
  }

  /** Contact id. */
  getId(): string {
    return this.#id;
  }

  /** Last user data received (updated before `contactListUpdate.userDataChanged`). */
  getUserData(): UserData {
    return this.#userData;
  }

  /**
   * Parley extension: true when this user registered with a token (an identified user whose id
   * the app's backend vouched for), false for anonymous users and for contacts not (yet) seen
   * through presence (a group or conversation shared with the local user).
   */
  isAuthenticated(): boolean {
    return this.#authenticated;
  }

  /** SDK-internal: presence reported whether the contact is authenticated. */
  [SET_AUTHENTICATED](authenticated: boolean): void {
    this.#authenticated = authenticated;
  }

  /** `username`, else `nickname`, else the id. */
  getUsername(): string {
    const name = this.#userData.get('username') ?? this.#userData.get('nickname');
    return typeof name === 'string' && name !== '' ? name : this.#id;
  }

  /** `photo_url` or `photoUrl` from user data (P2). */
  getPhotoUrl(): string | null {
    const url = this.#userData.get('photo_url') ?? this.#userData.get('photoUrl');
    return typeof url === 'string' ? url : null;
  }

  /** P2: resolves the user data presence last delivered (Parley pushes every change). */
  fetchUserData(): Promise<UserData> {
    return Promise.resolve(this.#userData);
  }

  /** P2 (cloud profiles): not supported. */
  fetchProfileInformation(_bearerToken: string, _forceUpdate?: boolean): Promise<object> {
    return rejectNotSupported('fetchProfileInformation');
  }

  /** Whether the contact is currently known in that presence group. */
  inGroup(group: string): boolean {
    return this.#host?.inGroup(this.#id, group) ?? false;
  }

  /** True while the contact is in at least one watched group. */
  isOnline(): boolean {
    return this.#host?.isOnline(this.#id) ?? false;
  }

  /**
   * Delivers `data` to this user only (Session `contactData` + Contact `data` on their side).
   * Resolves on server acknowledgement; rejects 8 not connected, 11 timeout, 0 otherwise.
   */
  async sendData(data: unknown, _opts?: object): Promise<void> {
    if (data === undefined) throw apiError(ERROR_BAD_PARAMETER, 'sendData() - data parameter is missing');
    this.#warnIfOffline('sendData');
    try {
      await this.#deliver({ kind: 'data', content: data });
    } catch (err) {
      throw deliveryError('sendData', err, 'Data default error ');
    }
  }

  /**
   * 1-1 chat message; resolves its uuid and appends it to {@link getPreviousMessages}.
   * Rejects 9 not a string / empty, 8, 11, 0.
   */
  async sendMessage(msg: string, _opts?: { session?: unknown }): Promise<number> {
    if (typeof msg !== 'string') throw apiError(ERROR_BAD_PARAMETER, 'sendMessage() - message parameter is not instance of string');
    if (msg === '') throw apiError(ERROR_BAD_PARAMETER, 'sendMessage() - message parameter is empty');
    this.#warnIfOffline('sendMessage');
    let uuid: number;
    try {
      ({ uuid } = await this.#deliver({ kind: 'message', content: msg }));
    } catch (err) {
      throw deliveryError('sendMessage', err, 'Data transmission timed out ');
    }
    const self = this.#host?.self();
    if (self) this.#history.push({ content: msg, sender: self, time: new Date(), uuid });
    return uuid;
  }

  /** Sends a named event (Session/Contact `customEvent` on their side). Rejects 9, 8, 11, 0. */
  async sendCustomEvent(event: string, content?: unknown): Promise<void> {
    if (typeof event !== 'string' || event === '') {
      throw apiError(ERROR_BAD_PARAMETER, 'sendCustomEvent() - event parameter is not a non-empty string');
    }
    this.#warnIfOffline('sendCustomEvent');
    try {
      await this.#deliver({ kind: 'customEvent', event, content: content ?? {} });
    } catch (err) {
      throw deliveryError('sendCustomEvent', err, 'Data transmission timed out ');
    }
  }

  /** In-memory 1-1 history with this contact (sent and received in this session). */
  getPreviousMessages(): ContactMessage[] {
    return [...this.#history];
  }

  /**
   * Loads stored 1-1 messages with this contact into {@link getPreviousMessages} (oldest first, no
   * repeats): the newest `count` (default 50), or those before `lastUUID` / `lastMessTimestamp`
   * (docs/sdk-reference.md#chat-history). Rejects 9 on bad options, 0 "loadMessageHistory() - could
   * not load session history" otherwise.
   */
  loadMessageHistory(_session?: unknown, opts?: LoadMessageHistoryOptions): Promise<void> {
    const host = this.#host;
    const loader = host && { contact: this, self: host.self(), fetch: (page: Parameters<ContactHost['history']>[1]) => host.history(this.#id, page) };
    return loadMessageHistory(loader, this.#history, opts ?? {});
  }

  /**
   * Starts a 1-1 call peer to peer (docs/sdk-reference.md#call-and-invitations) and returns it at once. Without
   * `stream` the SDK acquires media per `mediaTypeForOutgoingCall` ('VIDEO' default) and emits
   * Call `localStreamAvailable`. Null (logged) when another call runs and multiple calls are not allowed.
   */
  call(stream?: Stream | null, opts?: object): Call | null {
    const peers = this.#peers('call');
    return peers ? peers.call(this, stream ?? null, opts && typeof opts === 'object' ? opts : {}) : null;
  }

  /** Starts a 1-1 screen-share call (the SDK captures the screen). */
  shareScreen(opts?: { captureSourceType?: unknown }): Call | null {
    const peers = this.#peers('shareScreen');
    return peers ? peers.shareScreen(this, opts && typeof opts === 'object' ? opts : {}) : null;
  }

  /** Invites this contact to `conversation` (= `conversation.sendInvitation(contact, opts)`). */
  inviteTo(conversation: unknown, opts?: object): SentInvitation | null {
    const target = conversation as { sendInvitation?: (c: Contact, o?: object) => SentInvitation | null } | null;
    if (typeof target?.sendInvitation !== 'function') {
      log.error('inviteTo() - parameter is not an instance of apiRTC.Conversation');
      return null;
    }
    return target.sendInvitation(this, opts);
  }

  /**
   * Offers a file peer to peer (docs/sdk-reference.md#call-and-invitations): the contact gets `fileTransferInvitation`;
   * this Contact emits `fileTransferProgress`, then `fileSentSuccessfully` (or `fileTransferError`).
   */
  sendFile(fileInfo: { name: string; type: string }, data: unknown, opts?: object): SentInvitation | null {
    const peers = this.#peers('sendFile');
    return peers ? peers.sendFile(this, fileInfo, data, opts && typeof opts === 'object' ? opts : {}) : null;
  }

  /** Opens a peer-to-peer data channel to the contact (docs/sdk-reference.md#datachannel). */
  startDataChannel(opts?: object): DataChannel | null {
    const peers = this.#peers('startDataChannel');
    return peers ? peers.startDataChannel(this, opts && typeof opts === 'object' ? opts : {}) : null;
  }

  /** P2: not supported. */
  sendWhiteboardInvitation(_roomId: string, _opts?: object): SentInvitation | null {
    throwNotSupported('sendWhiteboardInvitation');
  }

  /** P2: not supported. */
  pushMedia(_media: string, _session: unknown, _opts?: object): Promise<object> {
    return rejectNotSupported('pushMedia');
  }

  /** P2: not supported. */
  fetchMediaList(_session: unknown, _opts?: object): Promise<object[]> {
    return rejectNotSupported('fetchMediaList');
  }

  /** P2: streams received from this contact (none until conversations exist). */
  getActiveStreams(): unknown[] {
    return [];
  }

  /** P2 (cloud web sessions): not supported. */
  fetchWebSessionInformation(_session: unknown): Promise<object> {
    return rejectNotSupported('fetchWebSessionInformation');
  }

  /** P2 (remote access): not supported. */
  sendRemoteAccessInvitation(_conversation: unknown, _options?: object): Promise<SentInvitation> {
    return rejectNotSupported('sendRemoteAccessInvitation');
  }

  /** P2: remote access is not supported, so false. */
  getRemoteAccessSupport(): boolean {
    return false;
  }

  /** SDK-internal: records a received 1-1 message in the history. */
  [RECORD_MESSAGE](message: ContactMessage): void {
    this.#history.push(message);
  }

  #deliver(delivery: Delivery): Promise<{ uuid: number }> {
    if (!this.#host) return Promise.reject(new Error('contact is not attached to a session'));
    return this.#host.deliver(this.#id, delivery);
  }

  #peers(method: string): ContactPeers | null {
    const peers = this.#host?.peers?.();
    if (!peers) log.error(`${method}() - contact is not attached to a session`);
    return peers ?? null;
  }

  #warnIfOffline(method: string): void {
    if (!this.isOnline()) log.warn(`${method}() - contact ${this.#id} looks offline; sending anyway`);
  }
}
