import { CONVERSATION_STATUS_JOINED, CONVERSATION_STATUS_NOT_JOINED, ERROR_OTHER, ERROR_WRONG_STATE } from '../constants.js';
import type { RecordingInfo } from '@parley/protocol';
import { reject } from '../util/errors.js';
import { log } from '../util/Logger.js';
import { Contact } from './Contact.js';
import type { ConversationCall } from './ConversationCall.js';
import type { ConversationServerEvent } from './conversation/context.js';
import { JoinedConversation } from './conversation/JoinedConversation.js';
import type { StreamInfo } from './conversation/streamInfo.js';
import type { PublishOptions } from './conversation/PublicationSet.js';
import type { RecordingOptions } from './conversation/ConversationRecording.js';
import { CONVERSATION_EVENT, CONVERSATION_PRESENCE, CONVERSATION_REJOIN, CONVERSATION_SESSION_ENDED, EMIT, PARLEY_EVENTS } from './internal.js';
import { ConversationStorage } from './conversation/ConversationStorage.js';
import { GroupChatMembership } from './conversation/GroupChatMembership.js';
import { CONVERSATION_EVENTS, CONVERSATION_PARLEY_EVENTS } from './conversation/eventNames.js';
import type { ConversationHost, ConversationOptions, JoinOptions } from './conversation/options.js';
import type { ConversationModeration } from './conversation/ConversationModeration.js';
import type { SentInvitation } from './invitations/SentInvitation.js';
import type { Stream } from './Stream.js';

export type { StreamInfo } from './conversation/streamInfo.js';
export type { CloudMediaInfo } from './cloud/CloudMediaInfo.js';
export type { PushDataDescriptor } from './conversation/ConversationCloud.js';
export type { ConversationMessageHistory, FetchMessageHistoryOptions } from './conversation/ConversationChat.js';

export type { ConversationHost, ConversationOptions } from './conversation/options.js';

export type { ConversationEvents, ConversationMessage, StreamUpdate } from './conversation/events.js';

export { CONVERSATION_EVENTS } from './conversation/eventNames.js';

/**
 * A named room for streams, chat, data and files (docs/sdk-reference.md#conversation-and-conference), obtained from
 * `session.getOrCreateConversation(name, options)`.
 *
 * Membership, streams, media (SFU or mesh), messaging and the publisher relay live in
 * {@link JoinedConversation} (`conversation/`) and moderation in {@link ConversationModeration}; this
 * class is the apiRTC facade, recording in `conversation/ConversationRecording.ts`. chat-only membership in `conversation/GroupChatMembership.ts`. Conversation data is not supported yet: their
 * members are inherited from {@link ConversationStubs}
 * (docs/sdk-reference.md#members-not-supported-yet, docs/roadmap.md#moderation-and-recording).
 */
export class Conversation extends ConversationStorage {
  readonly #name: string;
  readonly #options: ConversationOptions;
  readonly #host: ConversationHost | undefined;
  #destroyed = false;
  readonly #room: JoinedConversation | undefined;
  readonly #chat: GroupChatMembership | undefined;

  /** Internal; apps use `session.getOrCreateConversation(name, options)`. */
  constructor(name: string, opts?: ConversationOptions, host?: ConversationHost) {
    super(String(name), host?.context);
    this.#name = String(name);
    this.#options = { ...opts };
    this.#host = host;
    this.#room = host?.context ? new JoinedConversation(this, this.#name, host.context, this.#options) : undefined;
    this.#chat = host?.context ? new GroupChatMembership(host.context, this, this.#name, (event, ...payload) => this[EMIT](event, ...payload)) : undefined;
    // Apps often attach streamListChanged after join() resolved (docs/sdk-reference.md#events-and-listeners).
    this.bufferUntilFirstListener('streamListChanged');
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return [...CONVERSATION_EVENTS];
  }

  /** Parley extension events (`dominantSpeakerChanged`), accepted by `on()` too. */
  static override readonly [PARLEY_EVENTS]: readonly string[] = CONVERSATION_PARLEY_EVENTS;

  /** Options given at creation (internal use and debugging). */
  protected get options(): ConversationOptions {
    return this.#options;
  }

  /**
   * Invites `contact` (docs/sdk-reference.md#call-and-invitations): they get `conversationInvitation`; the invitation
   * expires after `expirationTime` seconds (default 60) without an answer. Null (logged) for
   * something that is not a Contact, the local user, or an instance outside a session.
   */
  override sendInvitation(contact: Contact, opts?: { expirationTime?: number }): SentInvitation | null {
    const context = this.#host?.context;
    if (!context || !(contact instanceof Contact)) {
      log.error('sendInvitation() - parameter is not an instance of apiRTC.Contact');
      return null;
    }
    return context.invite(contact, this, opts && typeof opts === 'object' ? opts : {});
  }

  /** Name given to getOrCreateConversation. */
  getName(): string {
    return this.#name;
  }

  /** One of the `CONVERSATION_STATUS_*` Symbols. */
  getStatus(): symbol {
    return this.#room?.status ?? CONVERSATION_STATUS_NOT_JOINED;
  }

  /** Status is JOINED. */
  isJoined(): boolean {
    return this.getStatus() === CONVERSATION_STATUS_JOINED;
  }

  /** SDK-internal: a conversation event from the server. */
  [CONVERSATION_EVENT](event: ConversationServerEvent): void {
    if (event.type === 'cloud.newMedia') {
      if (this.isJoined()) this.cloud?.onNewMedia(event.media);
      return;
    }
    if (!this.isJoined() && this.#chat?.onEvent(event)) return;
    this.#room?.onEvent(event);
  }

  /** SDK-internal: presence of the conversation's group changed. */
  [CONVERSATION_PRESENCE](joined: string[], left: string[]): void {
    this.#room?.onPresence(joined, left);
  }

  /** SDK-internal: the session ended (local end of everything, no requests). */
  [CONVERSATION_SESSION_ENDED](): void {
    this.#room?.sessionEnded();
    this.#chat?.sessionEnded();
  }

  /** SDK-internal: the server had dropped the session; join, publish and subscribe again. */
  [CONVERSATION_REJOIN](): Promise<void> {
    return Promise.all([this.#room?.rejoin(), this.#chat?.rejoin()]).then(() => undefined);
  }

  /** Current media mode (Parley addition, for diagnostics): `'sfu'` or `'mesh'`. */
  getMode(): 'sfu' | 'mesh' {
    return this.#room?.mode ?? 'sfu';
  }

  /** Removes the instance from the session registry; the next getOrCreateConversation makes a new one. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#host?.forget(this);
  }

  /** Enters the conversation. */
  join(_opts?: JoinOptions): Promise<object> {
    if (!this.#room) return reject(ERROR_OTHER, 'join() - cannot join conversation');
    return this.#room.join().then((result) => {
      this.#chat?.superseded();
      return result;
    });
  }

  /** True after a successful joinGroupChat(), until leaveGroupChat() or join(). */
  override isGroupChatJoined(): boolean {
    return this.#chat?.joined ?? false;
  }

  /** Chat-only membership: messages and history, no streams or media. Rejects 16 when already joined, 14 in a moderated conversation. */
  override joinGroupChat(): Promise<void> {
    if (!this.#chat) return reject(ERROR_OTHER, 'joinGroupChat() - cannot join group chat');
    return this.#chat.join();
  }

  /** Leaves the chat-only membership. Rejects 16 when not joined or while the conversation is joined. */
  override leaveGroupChat(): Promise<void> {
    if (!this.#chat) return reject(ERROR_WRONG_STATE, 'leaveGroupChat() - group chat not joined');
    return this.#chat.leave(this.isJoined());
  }

  /** Leaves the conversation. Rejects 16 when not joined. */
  leave(): Promise<void> {
    if (!this.#room) return reject(ERROR_WRONG_STATE, 'leave() - webconf not joined');
    return this.#room.leave();
  }

  /**
   * Sends a local stream to the conversation. `opts.remoteUnmuteEnabled` (Parley extension,
   * default false) lets subscribers re-enable the stream's audio/video remotely; see {@link PublishOptions}.
   */
  publish(stream: Stream, opts?: PublishOptions): Promise<Stream> {
    if (!this.#room) return reject(ERROR_OTHER, 'publish() - conversation not joined');
    return this.#room.publish(stream, opts ?? {});
  }

  /** Stops sending a stream; logs an error when it is not published here. */
  unpublish(stream: Stream, _opts?: object): void {
    if (!this.#room) {
      log.error('unpublish() - stream is not published in this conversation');
      return;
    }
    this.#room.unpublish(stream);
  }

  /** Requests the media of an announced stream. */
  subscribeToStream(streamId: number | string, opts?: { audioOnly?: boolean; videoOnly?: boolean }): Promise<Stream> {
    if (!this.#room) return reject(ERROR_OTHER, 'subscribeToMedia() - conversation not joined');
    return this.#room.subscribe(streamId, opts ?? {});
  }

  /** Stops receiving a stream. */
  unsubscribeToStream(streamId: number | string, _opts?: object): void {
    if (!this.#room) {
      log.warn('unsubscribeToStream() - no such subscription');
      return;
    }
    this.#room.unsubscribe(streamId);
  }

  /** Caps the simulcast quality received for a subscribed stream (`{simulcast: {streamQuality}}`). */
  updateSubscribedStream(streamId: number | string, opts?: { simulcast?: { streamQuality?: unknown } }): Promise<unknown> {
    if (!this.#room) return reject(ERROR_OTHER, 'updateSubscribedStream() - conversation not joined');
    return this.#room.updateSubscribedStream(streamId, opts ?? {});
  }

  /** Deprecated alias of subscribeToStream. */
  subscribeToMedia(streamId: number | string, opts?: object): Promise<Stream> {
    return this.subscribeToStream(streamId, opts);
  }

  /** Deprecated alias of unsubscribeToStream. */
  unsubscribeToMedia(streamId: number | string): void {
    this.unsubscribeToStream(streamId);
  }

  /** Members of the conversation (other users); `{}` with a warning when not joined. */
  getContacts(): { [id: string]: Contact } {
    if (!this.#room?.joined) {
      log.warn('getContacts() - conversation not joined');
      return {};
    }
    return this.#room.contacts();
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
    return this.#room?.streamList() ?? [];
  }

  /** Older name of getAvailableStreamList. */
  getAvailableMediaList(): StreamInfo[] {
    return this.getAvailableStreamList();
  }

  /** Known StreamInfo for an id (number or numeric string). */
  getStreamInfo(streamId: number | string): StreamInfo | undefined {
    return this.#room?.streamInfo(streamId);
  }

  /** Whether that local Stream is published here. */
  isPublishedStream(stream: Stream): boolean {
    return this.#room?.isPublished(stream) ?? false;
  }

  /** Media leg of a published local stream. */
  getConversationCall(stream: Stream): ConversationCall | null {
    return this.#room?.call(stream) ?? null;
  }

  /** Swaps the published media. Rejects `Error('CALL_NOT_FOUND')` when `oldStream` is not published here. */
  replacePublishedStream(oldStream: Stream, newStream?: Stream, _callbacks?: unknown): Promise<Stream> {
    if (!this.#room) return Promise.reject(new Error('CALL_NOT_FOUND'));
    return this.#room.replace(oldStream, newStream);
  }

  /** Group chat message. Rejects 16 when neither the conversation nor its chat is joined. */
  sendMessage(msg: string, opts?: { metadata?: object; token?: string }): Promise<number> {
    if (!this.isJoined() && this.#chat?.joined) return this.#chat.sendMessage(msg, opts ?? {});
    if (!this.#room) return reject(ERROR_WRONG_STATE, 'sendMessage() - group chat not joined');
    return this.#room.sendMessage(msg, opts ?? {});
  }

  /** Broadcasts data to the other participants. */
  sendData(data: object, _opts?: object): Promise<void> {
    if (!this.#room) return reject(ERROR_OTHER, 'sendData() - cannot send data');
    return this.#room.sendData(data);
  }

  /** Broadcasts a named event to the other participants. */
  sendCustomEvent(event: string, content?: object): Promise<void> {
    if (!this.#room) return reject(ERROR_OTHER, 'sendCustomEvent() - cannot send data');
    return this.#room.sendCustomEvent(event, content);
  }

  // ---- moderation (docs/sdk.md § Moderation) ----------------------------------------------------

  /** Moderator admits a waiting contact; resolves once the server took the answer. */
  allowEntry(contact: Contact, opts?: { ackEnabled?: boolean }): Promise<void> {
    if (!this.#room) return reject(ERROR_OTHER, 'allowEntry() - conference not joined');
    return this.#room.moderation.allowEntry(contact, opts?.ackEnabled === true);
  }

  /** Moderator refuses a waiting contact; its join() rejects 14. */
  denyEntry(contact: Contact, opts?: { reason?: string; ackEnabled?: boolean }): Promise<void> {
    if (!this.#room) return reject(ERROR_OTHER, 'denyEntry() - conference not joined');
    return this.#room.moderation.denyEntry(contact, opts ?? {});
  }

  /** Moderator removes a participant; resolves on the server's confirmation (5 s timeout). */
  eject(contact: Contact, opts?: { reason?: string }): Promise<void> {
    if (!this.#room) return reject(ERROR_OTHER, 'eject() - conference not joined');
    return this.#room.moderation.eject(contact, opts ?? {});
  }

  /** While waiting for a moderator, stops waiting (join() rejects 15); false when there is nothing to cancel. */
  cancelJoin(): boolean {
    return this.#moderation?.cancelJoin() ?? false;
  }

  /** `'moderator' | 'contributor' | 'guest'` once join started in a moderated conversation, null otherwise. */
  getRole(): string | null {
    return this.#moderation?.role ?? null;
  }

  /** Known moderator Contact, or null. */
  getModerator(): Contact | null {
    return this.#moderation?.moderator ?? null;
  }

  /** Moderator only: contacts in the waiting room; `{}` with an error log otherwise. */
  getWaitingRoomContacts(): { [id: string]: Contact } {
    if (!this.#moderation) {
      log.error('getWaitingRoomContacts() - conversation not joined');
      return {};
    }
    return this.#moderation.waitingRoomContacts();
  }

  get #moderation(): ConversationModeration | undefined {
    return this.#room?.moderation;
  }

  /**
   * Starts the composite recording of the conversation (server side, MP4). Resolves the
   * RecordingInfo once the server confirms; every participant gets `recordingStarted`.
   */
  startRecording(opts?: RecordingOptions): Promise<RecordingInfo> {
    if (!this.#room) return reject(ERROR_OTHER, 'startRecording() - conversation not joined');
    return this.#room.recording.start(opts && typeof opts === 'object' ? opts : {});
  }

  /** Stops the composite recording; `recordingAvailable` follows once the file is ready. */
  stopRecording(): Promise<RecordingInfo | null> {
    if (!this.#room) return reject(ERROR_OTHER, 'stopRecording() - conversation not joined');
    return this.#room.recording.stop();
  }

  /** A composite recording of this conversation is running. */
  isRecorded(): boolean {
    return this.#room?.recording.recorded ?? false;
  }

  /** The running recording's info, or null. */
  getRecordingInfo(): RecordingInfo | null {
    return this.#room?.recording.info ?? null;
  }

  /** P2: remote Stream of an active subscription. */
  getSubscribedStream(streamId: number | string): Stream | undefined {
    return this.#room?.subscribed(streamId);
  }

  /** P2, deprecated: the name. */
  getFriendlyName(): string | null {
    return this.#name;
  }
}
