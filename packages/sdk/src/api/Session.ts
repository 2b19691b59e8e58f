import { ERROR_OTHER } from '../constants.js';
import type { Engine } from '../engine/Engine.js';
import { mergeDiffs, type PresenceDiff } from '../engine/PresenceTracker.js';
import { mirrorInto, runtime } from '../runtime.js';
import { reject } from '../util/errors.js';
import { log } from '../util/Logger.js';
import { rejectNotSupported, throwNotSupported } from '../util/unsupported.js';
import type { Call } from './Call.js';
import { SessionPeers, type PeerOptions } from './call/SessionPeers.js';
import type { Conference } from './Conference.js';
import { Contact } from './Contact.js';
import { ContactCatalog } from './ContactCatalog.js';
import type { Conversation, ConversationOptions } from './Conversation.js';
import { ConversationRegistry } from './ConversationRegistry.js';
import { ATTACH, DROP_CONNECTION, EMIT, SESSION_ENDED, SETTINGS } from './internal.js';
import { Observable } from './Observable.js';
import { relayContactEvents } from './session/contactEvents.js';
import { contactServices, conversationServices } from './session/services.js';
import { SESSION_EVENTS, type SessionEvents } from './session/events.js';
import type { UserAgent } from './UserAgent.js';
import { attachPublisher, replaceUserData, userDataBag, type UserData } from './UserData.js';

export type { ConnectionEvent, SessionEvents } from './session/events.js';

/** What the UserAgent hands to its Session (internal). */
export interface SessionInit {
  engine: Engine;
  userData: UserData;
  /** Registration options about incoming peer sessions (defaults: apiRTC's). */
  peerOptions?: PeerOptions;
}

/**
 * The authenticated connection of the local user (docs/sdk-reference.md#session), obtained from `userAgent.register()`.
 * Owns the contact catalog, presence groups, 1-1 calls and the conversation registry; talks to the
 * server only through its {@link Engine}.
 */
export class Session extends Observable<SessionEvents> {
  /** Cloud token (cloud users only): always null on Parley. */
  readonly token: string | null = null;
  readonly #ua: UserAgent;
  readonly #engine: Engine;
  readonly #userData: UserData;
  readonly #contacts: ContactCatalog;
  readonly #conversations: ConversationRegistry;
  readonly #peers: SessionPeers;
  #id = '';
  #disconnected = false;

  /** Internal: apps get the Session from `userAgent.register()`. */
  constructor(ua: UserAgent, init?: SessionInit) {
    super();
    if (!init) throw new Error('Session cannot be constructed directly: use userAgent.register()');
    this.#ua = ua;
    this.#engine = init.engine;
    this.#userData = init.userData;
    this.#contacts = new ContactCatalog(
      contactServices(
        init.engine,
        () => this.#contacts,
        () => this.#peers,
      ),
    );
    this.#peers = new SessionPeers(init.engine, {
      selfId: () => this.#id,
      contact: (id) => this.#contacts.getOrCreate(id),
      ua: () => this.#ua,
      conversation: (name) => this.#conversations.getOrCreatePlain(name),
      // SessionEmit's overloads pair each name with its payload type; the emit's rest tuple cannot follow that pairing.
      emit: (name: keyof SessionEvents, payload: unknown) => this.emit(name, payload as never),
      options: init.peerOptions ?? { userAcceptOnIncomingScreenSharingCall: false, userAcceptOnIncomingDataCall: true },
    });
    this.#conversations = new ConversationRegistry(
      conversationServices(init.engine, {
        selfId: () => this.#id,
        contact: (id) => this.#contacts.getOrCreate(id),
        sessionCustomEvent: (payload) => this.emit('customEvent', payload),
        quality: ua[SETTINGS].quality,
        invite: (contact, conversation, opts) => this.#peers.invite(contact, conversation, opts),
      }),
    );
    // Apps attach contactListUpdate after register() resolved: keep the initial membership (docs/sdk-reference.md#events-and-listeners).
    this.bufferUntilFirstListener('contactListUpdate');
    this.#listen(init.engine);
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return [...SESSION_EVENTS];
  }

  /** The Session of the registered UserAgent, or null. */
  static getActiveSession(): Session | null {
    return runtime.userAgentInstance?.getCurrentSession() ?? null;
  }

  /** Local user id (same as `getId()`). */
  get id(): string {
    return this.#id;
  }

  /** Local user id (numeric string unless `RegisterInformation.id` chose another). */
  getId(): string {
    return this.#id;
  }

  /** Owning UserAgent. */
  getUserAgent(): UserAgent {
    return this.#ua;
  }

  /** Cloud token (P2): null on Parley. */
  getToken(): string | null {
    return this.token;
  }

  /** The unique Contact for `id` (converted with `toString()`), created on first call. */
  getOrCreateContact(id: string | number): Contact {
    return this.#contacts.getOrCreate(String(id));
  }

  /** Deprecated alias of getOrCreateContact. */
  getContact(id: string | number): Contact {
    log.warn('getContact() is deprecated, use getOrCreateContact()');
    return this.getOrCreateContact(id);
  }

  /** Contacts by id: all known ones, or the current members of `group`. Never the local user. */
  getContacts(group?: string): { [id: string]: Contact } {
    return Object.fromEntries(this.getContactsArray(group).map((c) => [c.getId(), c]));
  }

  /** Same selection as getContacts, as an array. */
  getContactsArray(group?: string): Contact[] {
    if (group === undefined || group === null) return this.#contacts.all();
    // A conversation counts as the group of its name (docs/sdk-reference.md#conversation-membership); a presence group may share it.
    const name = String(group);
    const ids = new Set([...this.#engine.presence.membersOf(name), ...this.#engine.conversationPresence.membersOf(name)]);
    return [...ids].map((id) => this.#contacts.getOrCreate(id));
  }

  /** Same selection, restricted to online contacts. */
  getOnlineContactsArray(group?: string): Contact[] {
    return this.getContactsArray(group).filter((c) => c.isOnline());
  }

  /** Groups the user has joined. */
  getPresenceGroup(): string[] {
    return this.#engine.groups;
  }

  /** Groups the user is subscribed to. */
  getSubscribedPresenceGroup(): string[] {
    return this.#engine.subscriptions;
  }

  /** Joins and watches `group`; no-op (debug log) when already joined. */
  joinGroup(group: string): void {
    if (this.#checkGroup('joinGroup', group) && !this.#engine.joinGroup(group)) log.debug(`joinGroup() - already in ${group}`);
    this.#mirrorGroups();
  }

  /** Leaves and stops watching `group`; no-op when not joined. */
  leaveGroup(group: string): void {
    if (this.#checkGroup('leaveGroup', group) && !this.#engine.leaveGroup(group)) log.debug(`leaveGroup() - not in ${group}`);
    this.#mirrorGroups();
  }

  /** Watches `group` without being visible in it; no-op when already subscribed. */
  subscribeToGroup(group: string): void {
    if (this.#checkGroup('subscribeToGroup', group) && !this.#engine.subscribeToGroup(group)) {
      log.debug(`subscribeToGroup() - already subscribed to ${group}`);
    }
    this.#mirrorGroups();
  }

  /** Stops watching `group`; no-op when not subscribed. */
  unsubscribeToGroup(group: string): void {
    if (this.#checkGroup('unsubscribeToGroup', group) && !this.#engine.unsubscribeToGroup(group)) {
      log.debug(`unsubscribeToGroup() - not subscribed to ${group}`);
    }
    this.#mirrorGroups();
  }

  /** Synchronous: the existing instance for `name` (options then ignored) or a new one. */
  getOrCreateConversation(name: string, opts?: ConversationOptions): Conversation {
    return this.#conversations.getOrCreate(name, opts);
  }

  /** Older form: same registry, never a Conference. */
  getConversation(name: string, opts?: ConversationOptions): Conversation {
    return this.#conversations.getOrCreatePlain(name, opts);
  }

  /** P2 alias of getOrCreateConversation. */
  getOrCreateConference(name: string, opts?: ConversationOptions): Conversation {
    return this.getOrCreateConversation(name, opts);
  }

  /** P2: Conference registry lookup/creation. */
  getConference(name: string, opts?: ConversationOptions): Conference {
    return this.#conversations.getOrCreateConference(name, opts);
  }

  /** P2: the conversations currently joined. */
  getActiveConversations(_opts?: object): { [name: string]: Conversation } {
    return this.#conversations.active();
  }

  /** P2: the conferences currently joined. */
  getActiveConferences(_opts?: object): { [name: string]: Conference } {
    return this.#conversations.activeConferences();
  }

  /** The local user's UserData. */
  getUserData(): UserData {
    return this.#userData;
  }

  /**
   * Replaces the local user data with `userdata` and publishes it. `username` and `userConfId` are
   * kept unless `userdata` sets them (Parley rule: an app replacing its data keeps its name).
   */
  setUserData(userdata: object): void {
    if (!userdata || typeof userdata !== 'object') {
      log.error('setUserData() - argument must be an object');
      return;
    }
    const keep = { username: this.#userData['username'], userConfId: this.#userData['userConfId'] };
    replaceUserData(this.#userData, { ...keep, ...userdata });
    this.#publishUserData();
  }

  /** Sets and publishes `username`. */
  setUsername(username: string): void {
    this.#userData['username'] = username;
    this.#publishUserData();
  }

  /** Local username. */
  getUsername(): string {
    const name = this.#userData['username'];
    return typeof name === 'string' ? name : '';
  }

  /** P2: sets and publishes `photo_url`. */
  setPhotoUrl(url: string): void {
    this.#userData['photo_url'] = url;
    this.#publishUserData();
  }

  /** P2: local photo URL. */
  getPhotoUrl(): string | null {
    const url = this.#userData['photo_url'];
    return typeof url === 'string' ? url : null;
  }

  /**
   * Leaves joined conversations, unregisters and closes the connection. Rejects a plain string
   * when already disconnected.
   */
  async disconnect(_opts?: { invalidateUserToken?: boolean }): Promise<void> {
    // apiRTC rejects a plain string here.
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- apps catch the string as such
    if (this.#disconnected) throw 'disconnect() - session already disconnected';
    // Leave the joined conversations first (the server would also do it on unregister).
    await Promise.all(Object.values(this.#conversations.active()).map((c) => c.leave().catch(() => undefined)));
    await this.#engine.unregister();
  }

  /** Whether several 1-1 Calls may be ongoing at once (default false: a second call is refused, an incoming one declined `User_Busy`). */
  allowMultipleCalls(v: boolean): void {
    this.#peers.calls.allowMultiple = v === true;
  }

  /** 1-1 Call by callId (number or string), while it has not ended. */
  getCall(id: string | number): Call | undefined {
    return this.#peers.calls.get(String(id));
  }

  /** The 1-1 Calls not ended yet, by callId. */
  getCalls(): { [callId: string]: Call } {
    return this.#peers.calls.all();
  }

  /** P2 legacy raw message: rejects 0 "sendRawData() - Contact undefined" without a Contact. */
  sendRawData(contact: Contact, _data: object): Promise<void> {
    if (!(contact instanceof Contact)) return reject(ERROR_OTHER, 'sendRawData() - Contact undefined');
    return rejectNotSupported('sendRawData');
  }

  /** P2: not supported. */
  cloudRequest(_url: string, _params: object, _method: string): Promise<object> {
    return rejectNotSupported('cloudRequest');
  }

  /** P2: not supported. */
  startRecordingOutgoingStream(_mode: string, _filename: string): void {
    throwNotSupported('startRecordingOutgoingStream');
  }

  /** P2: not supported. */
  stopRecordingOutgoingStream(): Promise<object> {
    return rejectNotSupported('stopRecordingOutgoingStream');
  }

  /** P2 internal initialisation: nothing to do on Parley. */
  init(_id: string): void {}

  /** P2: nothing to do, the media server is the Parley server. */
  setMCUServer(_server: string): void {}

  /** P2: not supported. */
  getContactFromWebSession(_webSessionId: string): Promise<Contact> {
    return rejectNotSupported('getContactFromWebSession');
  }

  /** P2: whiteboards are not supported. */
  getWhiteboardClient(): null {
    throwNotSupported('getWhiteboardClient');
  }

  /** P2: not supported. */
  joinPointerSharingRoom(_roomId: string): Promise<unknown> {
    return rejectNotSupported('joinPointerSharingRoom');
  }

  /** P2: not supported. */
  joinConversationSpace(_conversationSpace: string): void {
    throwNotSupported('joinConversationSpace');
  }

  /** SDK-internal: the registration succeeded with `userId`. */
  [ATTACH](userId: string): void {
    this.#id = userId;
    this.#contacts.setSelfId(userId);
    attachPublisher(this.#userData, () => this.#publishUserData());
    this.#mirrorGroups();
  }

  /** SDK-internal (debug hook): drops the socket as a network loss would; false when not connected. */
  [DROP_CONNECTION](): boolean {
    return this.#engine.dropConnection();
  }

  #listen(engine: Engine): void {
    engine.on('conversation', (e) => this.#conversations.dispatch(e));
    engine.on('reRegistered', () => this.#conversations.rejoin());
    engine.on('status', (status) => {
      this.#ua[EMIT]('ccsConnectionStatus', { status });
      if (status === 'error') this.emit('error', { type: 'error' });
    });
    engine.on('reconnecting', () => this.emit('reconnecting', { type: 'reconnecting' }));
    engine.on('reconnection', () => this.emit('reconnection', { type: 'reconnection' }));
    engine.on('closed', (reason) => this.#onClosed(reason));
    engine.on('presence', (groups, conversations) => this.#onPresence(groups, conversations));
    relayContactEvents(engine, this.#contacts, {
      contactData: (payload) => this.emit('contactData', payload),
      contactMessage: (payload) => this.emit('contactMessage', payload),
      customEvent: (payload) => this.emit('customEvent', payload),
    });
  }

  #onPresence(groups: PresenceDiff, conversations: PresenceDiff): void {
    const { update, contactEvents } = this.#contacts.applyDiff(mergeDiffs(groups, conversations));
    this.emit('contactListUpdate', update);
    contactEvents();
    // Only the conversation namespace makes conversation contacts (a same-named group does not).
    const joined = new Map([...conversations.joined].map(([name, list]) => [name, list.map((c) => c.id)]));
    this.#conversations.presence(joined, conversations.left);
  }

  #onClosed(reason: string): void {
    if (this.#disconnected) return;
    this.#disconnected = true;
    this.#conversations.sessionEnded();
    this.#peers.sessionEnded();
    attachPublisher(this.#userData, undefined);
    this.#ua[SESSION_ENDED](this);
    this.emit('disconnect', { type: 'disconnect', reason });
  }

  #publishUserData(): void {
    if (this.#disconnected || this.#id === '') return;
    this.#engine.setUserData(userDataBag(this.#userData)).catch((err: unknown) => log.error('user data publication failed', err));
  }

  #checkGroup(method: string, group: unknown): group is string {
    if (typeof group === 'string' && group !== '') return true;
    log.error(`${method}() - group must be a non-empty string`);
    return false;
  }

  #mirrorGroups(): void {
    if (runtime.userAgentInstance !== this.#ua) return;
    mirrorInto(runtime.legacySession.presenceGroup, this.#engine.groups);
    mirrorInto(runtime.legacySession.subscribeToPresenceGroup, this.#engine.subscriptions);
  }
}
