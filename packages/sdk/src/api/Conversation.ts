import {
  CONVERSATION_STATUS_JOINED,
  CONVERSATION_STATUS_NOT_JOINED,
  ERROR_APIRTC_INITIALISATION_FAILED,
  ERROR_HTTP,
  ERROR_OTHER,
  ERROR_WRONG_STATE,
} from '../constants.js';
import { reject } from '../util/errors.js';
import { log } from '../util/Logger.js';
import { notSupported, rejectNotSupported } from '../util/unsupported.js';
import type { Contact } from './Contact.js';
import type { ConversationCall } from './ConversationCall.js';
import type { SentInvitation } from './invitations/SentInvitation.js';
import { Observable } from './Observable.js';
import type { Stream } from './Stream.js';

/** `getOrCreateConversation` options (§2.10), used when the instance is created. */
export interface ConversationOptions {
  meshModeEnabled?: boolean;
  meshOnlyEnabled?: boolean;
  moderationEnabled?: boolean;
  moderator?: boolean;
  active?: boolean;
  e2ee?: boolean | object;
}

/** StreamInfo (§2.9): a published stream as announced by `streamListChanged`. */
export interface StreamInfo {
  streamId: number;
  listEventType?: 'added' | 'removed' | 'updated';
  isRemote: boolean;
  contact: Contact;
  type?: 'regular' | 'composite' | 'replay';
  callId?: string;
  hasAudio?: boolean;
  hasVideo?: boolean;
  isAudioMuted?: boolean;
  isVideoMuted?: boolean;
  isScreensharing?: boolean;
  context?: object;
}

/** Payload types of the main Conversation events; the others are plain objects. */
export interface ConversationEvents {
  streamListChanged: StreamInfo;
  streamAdded: Stream;
  streamRemoved: Stream;
  contactJoined: Contact;
  contactLeft: Contact;
  contactJoinedWaitingRoom: Contact;
  contactLeftWaitingRoom: Contact;
  joined: undefined;
  left: undefined;
  entryAllowed: undefined;
  entryDenied: undefined;
  [other: string]: unknown;
}

/** Conversation event names in apiRTC's order (§2.6). */
export const CONVERSATION_EVENTS: readonly string[] = [
  'adaptationTriggered', 'audioAmplitude', 'availableStreamsUpdated', 'bandwidthLimited', 'callStatsUpdate',
  'compositeListChanged', 'contactJoined', 'contactJoinedWaitingRoom', 'contactLeft', 'contactLeftWaitingRoom',
  'cpuLimited', 'customEvent', 'data', 'disconnectionWarning', 'entryAllowed', 'entryDenied', 'error', 'hangup',
  'joined', 'left', 'localStreamUpdated', 'message', 'messageNotDelivered', 'moderatorConnected', 'newMediaAvailable',
  'newWhiteboardSession', 'participantEjected', 'persistentDataUpdated', 'pointerLocationChanged',
  'pointerSharingEnabled', 'recordingAvailable', 'recordingStarted', 'recordingStopped', 'remoteStreamUpdated',
  'replayListChanged', 'roomModeChanged', 'simulcastFeedChanged', 'slowLink', 'streamAdded', 'streamListChanged',
  'streamRemoved', 'streamingStarted', 'streamingStopped', 'transferPending', 'transferBegun', 'transferEnded',
  'transferProgress', 'whiteboardRoomMemberUpdate', 'videoQualityChanged', 'waitingForModeratorAcceptance',
  'remoteStreamIdUpdated',
];

/** The Session side of a Conversation (internal). */
export interface ConversationHost {
  /** Removes the instance from the session registry. */
  forget(conversation: Conversation): void;
}

/** Why the methods that need the room/media layer fail in this version. */
const NOT_YET = 'conversations are not available in this Parley version yet';

/** The message of a conversation method that needs the room/media layer. */
function notYet(method: string): string {
  return `${method}() - ${NOT_YET}`;
}

/**
 * A named room for streams, chat, data and files (§2.6), obtained from
 * `session.getOrCreateConversation(name, options)`.
 *
 * This version provides the registry, status, events and replay buffer; joining, media and room
 * features arrive with the conversation work (methods marked `NEXT: conversations issue`), which
 * meanwhile answer as a conversation that is not joined.
 */
export class Conversation extends Observable<ConversationEvents> {
  readonly #name: string;
  readonly #options: ConversationOptions;
  readonly #host: ConversationHost | undefined;
  #status: symbol = CONVERSATION_STATUS_NOT_JOINED;
  #destroyed = false;

  /** Internal; apps use `session.getOrCreateConversation(name, options)`. */
  constructor(name: string, opts?: ConversationOptions, host?: ConversationHost) {
    super();
    this.#name = String(name);
    this.#options = { ...opts };
    this.#host = host;
    // Apps often attach streamListChanged after join() resolved (§1.5).
    this.bufferUntilFirstListener('streamListChanged');
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return [...CONVERSATION_EVENTS];
  }

  /** Options given at creation (internal use and debugging). */
  protected get options(): ConversationOptions {
    return this.#options;
  }

  /** Name given to getOrCreateConversation. */
  getName(): string {
    return this.#name;
  }

  /** One of the `CONVERSATION_STATUS_*` Symbols. */
  getStatus(): symbol {
    return this.#status;
  }

  /** Status is JOINED. */
  isJoined(): boolean {
    return this.#status === CONVERSATION_STATUS_JOINED;
  }

  /** Removes the instance from the session registry; the next getOrCreateConversation makes a new one. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#host?.forget(this);
  }

  /** Enters the conversation. */
  join(_opts?: object): Promise<object> {
    return reject(ERROR_OTHER, `join() - cannot join conversation :${NOT_YET}`); // NEXT: conversations issue
  }

  /** Leaves the conversation. Rejects 16 when not joined. */
  leave(): Promise<void> {
    return reject(ERROR_WRONG_STATE, 'leave() - webconf not joined'); // NEXT: conversations issue
  }

  /** Sends a local stream to the conversation. */
  publish(_stream: Stream, _opts?: object): Promise<Stream> {
    return reject(ERROR_OTHER, 'publish() - conversation not joined'); // NEXT: conversations issue
  }

  /** Stops sending a stream; logs an error when it is not published here. */
  unpublish(_stream: Stream, _opts?: object): void {
    log.error('unpublish() - stream is not published in this conversation'); // NEXT: conversations issue
  }

  /** Requests the media of an announced stream. */
  subscribeToStream(_streamId: number | string, _opts?: object): Promise<Stream> {
    return reject(ERROR_OTHER, 'subscribeToMedia() - conversation not joined'); // NEXT: conversations issue
  }

  /** Stops receiving a stream. */
  unsubscribeToStream(_streamId: number | string, _opts?: object): void {
    log.warn('unsubscribeToStream() - no such subscription'); // NEXT: conversations issue
  }

  /** Deprecated alias of subscribeToStream. */
  subscribeToMedia(streamId: number | string, opts?: object): Promise<Stream> {
    return this.subscribeToStream(streamId, opts);
  }

  /** Deprecated alias of unsubscribeToStream. */
  unsubscribeToMedia(streamId: number | string): void {
    this.unsubscribeToStream(streamId);
  }

  /** Moderator admits a waiting contact. */
  allowEntry(_contact: Contact, _opts?: object): Promise<void> {
    return reject(ERROR_OTHER, 'allowEntry() - conference not joined'); // NEXT: conversations issue
  }

  /** Moderator refuses a waiting contact. */
  denyEntry(_contact: Contact, _opts?: object): Promise<void> {
    return reject(ERROR_OTHER, 'denyEntry() - conference not joined'); // NEXT: conversations issue
  }

  /** Moderator removes a participant. */
  eject(_contact: Contact, _opts?: { reason?: string }): Promise<void> {
    return reject(ERROR_OTHER, 'eject() - conference not joined'); // NEXT: conversations issue
  }

  /** Starts the composite recording. */
  startRecording(_opts?: object): Promise<object> {
    return reject(ERROR_OTHER, 'startRecording() - conversation not joined'); // NEXT: conversations issue
  }

  /** Stops the composite recording. */
  stopRecording(): Promise<object> {
    return reject(ERROR_OTHER, notYet('stopRecording')); // NEXT: conversations issue
  }

  /** While waiting for a moderator, stops waiting; false when there is nothing to cancel. */
  cancelJoin(): boolean {
    return false; // NEXT: conversations issue
  }

  /** `'moderator' | 'contributor' | 'guest'` once join started, null before. */
  getRole(): string | null {
    return null; // NEXT: conversations issue
  }

  /** Known moderator Contact, or null. */
  getModerator(): Contact | null {
    return null; // NEXT: conversations issue
  }

  /** Moderator only: contacts in the waiting room; `{}` with an error log when not joined. */
  getWaitingRoomContacts(): { [id: string]: Contact } {
    log.error('getWaitingRoomContacts() - conversation not joined'); // NEXT: conversations issue
    return {};
  }

  /** Members of the conversation (other users); `{}` with a warning when not joined. */
  getContacts(): { [id: string]: Contact } {
    log.warn('getContacts() - conversation not joined'); // NEXT: conversations issue
    return {};
  }

  /** Same as getContacts, as an array. */
  getContactsArray(): Contact[] {
    return Object.values(this.getContacts());
  }

  /** Number of other members. */
  getContactsNumber(): number {
    return this.getContactsArray().length;
  }

  /** StreamInfos currently known. */
  getAvailableStreamList(): StreamInfo[] {
    return []; // NEXT: conversations issue
  }

  /** Older name of getAvailableStreamList. */
  getAvailableMediaList(): StreamInfo[] {
    return this.getAvailableStreamList();
  }

  /** Known StreamInfo for an id (number or numeric string). */
  getStreamInfo(_streamId: number | string): StreamInfo | undefined {
    return undefined; // NEXT: conversations issue
  }

  /** Whether that local Stream is published here. */
  isPublishedStream(_stream: Stream): boolean {
    return false; // NEXT: conversations issue
  }

  /** Media leg of a published local stream. */
  getConversationCall(_stream: Stream): ConversationCall | null {
    return null; // NEXT: conversations issue
  }

  /** Swaps the published media. Rejects `Error('CALL_NOT_FOUND')` when `oldStream` is not published here. */
  replacePublishedStream(_oldStream: Stream, _newStream?: Stream, _callbacks?: unknown): Promise<Stream> {
    return Promise.reject(new Error('CALL_NOT_FOUND')); // NEXT: conversations issue
  }

  /** Group chat message. Rejects 16 when neither the conversation nor its chat is joined. */
  sendMessage(_msg: string, _opts?: object): Promise<number> {
    return reject(ERROR_WRONG_STATE, 'sendMessage() - group chat not joined'); // NEXT: conversations issue
  }

  /** Broadcasts data to the other participants. */
  sendData(_data: object, _opts?: object): Promise<void> {
    return reject(ERROR_OTHER, 'sendData() - cannot send data'); // NEXT: conversations issue
  }

  /** Broadcasts a named event to the other participants. */
  sendCustomEvent(_event: string, _content?: object): Promise<void> {
    return reject(ERROR_OTHER, 'sendCustomEvent() - cannot send data'); // NEXT: conversations issue
  }

  /** True after a successful joinGroupChat(). */
  isGroupChatJoined(): boolean {
    return false; // NEXT: conversations issue
  }

  /** Joins only the chat part. */
  joinGroupChat(): Promise<unknown> {
    return reject(ERROR_OTHER, 'joinGroupChat() - cannot join group chat'); // NEXT: conversations issue
  }

  /** Leaves the chat part. Rejects 16 when not joined. */
  leaveGroupChat(): Promise<unknown> {
    return reject(ERROR_WRONG_STATE, 'leaveGroupChat() - group chat not joined'); // NEXT: conversations issue
  }

  /** Invites a contact; logs an error and returns null while conversations are unavailable. */
  sendInvitation(_contact: Contact, _opts?: object): SentInvitation | null {
    log.error(notYet('sendInvitation')); // NEXT: conversations issue
    return null;
  }

  /** Uploads a file to the conversation storage. */
  pushData(_data: object, _opts?: object): Promise<object> {
    return reject(ERROR_OTHER, 'pushData() - A - cannot push data'); // NEXT: conversations issue
  }

  /** Cancels a pushData. Rejects 0 when unknown. */
  cancelPushData(_id: string): Promise<void> {
    return reject(ERROR_OTHER, 'cancelPushData() - no such push data'); // NEXT: conversations issue
  }

  /** Downloads a stored media. */
  getMedia(_mediaURL: string): Promise<Blob> {
    return reject(ERROR_OTHER, notYet('getMedia')); // NEXT: conversations issue
  }

  /** A composite recording is running. */
  isRecorded(): boolean {
    return false; // NEXT: conversations issue
  }

  /** Current recording info (null when not recording). */
  getRecordingInfo(): object | null {
    return null; // NEXT: conversations issue
  }

  /** P2: not supported. */
  updateSubscribedStream(_streamId: string, _opts?: object): Promise<unknown> {
    return rejectNotSupported('updateSubscribedStream');
  }

  /** P2: remote Stream of an active subscription. */
  getSubscribedStream(_streamId: number | string): Stream | undefined {
    return undefined; // NEXT: conversations issue
  }

  /** P2: rejects 5 "checkAccess() - cannot check access" (cloud conferences are not supported). */
  checkAccess(_opts?: object): Promise<object> {
    notSupported('checkAccess');
    return reject(ERROR_APIRTC_INITIALISATION_FAILED, 'checkAccess() - cannot check access');
  }

  /** P2: no server-side conversation id. */
  isBound(): boolean {
    return false;
  }

  /** P2: rejects 13 "bind() - cannot bind conversation". */
  bind(_opts: object): Promise<string> {
    notSupported('bind');
    return reject(ERROR_HTTP, 'bind() - cannot bind conversation');
  }

  /** P2: null (no server-side id). */
  getCloudConversationId(): string | null {
    return null;
  }

  /** P2: persistent data is not supported. */
  getData(): unknown {
    return undefined;
  }

  /** P2: not supported. */
  setData(_data: unknown): void {
    notSupported('setData');
  }

  /** P2: not supported. */
  updateData(): Promise<void> {
    return rejectNotSupported('updateData');
  }

  /** P2: not supported. */
  fetchMessageHistory(_session: unknown, _options?: object): Promise<object[]> {
    return rejectNotSupported('fetchMessageHistory');
  }

  /** P2: not supported. */
  fetchMediaList(_session: unknown, _opts: object): Promise<object[]> {
    return rejectNotSupported('fetchMediaList');
  }

  /** P2: not supported. */
  pushMedia(_media: string, _opts?: object): Promise<object> {
    return rejectNotSupported('pushMedia');
  }

  /** P2: not supported. */
  sendRawData(_data: object, _opts?: object): void {
    notSupported('sendRawData');
  }

  /** P2: not supported. */
  startComposite(): Promise<void> {
    return rejectNotSupported('startComposite');
  }

  /** P2: not supported. */
  stopComposite(): Promise<void> {
    return rejectNotSupported('stopComposite');
  }

  /** P2: not supported. */
  startNewWhiteboardSession(_canvasId: string, _cursorColor?: string): Promise<void> {
    return rejectNotSupported('startNewWhiteboardSession');
  }

  /** P2: not supported. */
  stopNewWhiteboardSession(): Promise<void> {
    return rejectNotSupported('stopNewWhiteboardSession');
  }

  /** P2: not supported. */
  enablePointerSharing(_enabled: boolean): Promise<string> {
    return rejectNotSupported('enablePointerSharing');
  }

  /** P2: not supported. */
  sendPointerLocation(_source: object, _x: number, _y: number, _data?: object): void {
    notSupported('sendPointerLocation');
  }

  /** P2: not supported. */
  sendJoinRequest(_session: unknown): void {
    notSupported('sendJoinRequest');
  }

  /** P2 (SIP): not supported. */
  callVoIP(_phoneNumber: string): Promise<void> {
    return rejectNotSupported('callVoIP');
  }

  /** P2: null. */
  getInstanceId(): string | null {
    return null;
  }

  /** P2, deprecated: the name. */
  getFriendlyName(): string | null {
    return this.#name;
  }

  /** P2: end-to-end encryption is off. */
  getE2EEStatus(): boolean {
    return false;
  }

  /** P2 (declarations only in apiRTC): not supported. */
  startScreensharing(): number {
    notSupported('startScreensharing');
    return 0;
  }

  /** P2 (declarations only in apiRTC): not supported. */
  stopScreensharing(_streamId: number): void {
    notSupported('stopScreensharing');
  }
}
