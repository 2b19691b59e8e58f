import { CloseCode, ErrorCode, type ClientMessage, type RegisterResult, type ServerMessage, type UserDataBag } from '@parley/protocol';
import { Emitter } from '../util/Emitter.js';
import type { AnswerOf } from '../util/messages.js';
import { log } from '../util/Logger.js';
import { toWebSocketUrl } from './baseUrl.js';
import { ConnectError } from './ConnectError.js';
import { Heartbeat } from './Heartbeat.js';
import { IceServerBook } from './IceServerBook.js';
import { clusterUrls, lookupServer } from './lookup.js';
import { Membership } from './Membership.js';
import { PresenceTracker, isEmptyDiff, emptyDiff } from './PresenceTracker.js';
import { Reconnector } from './Reconnector.js';
import { errorText, HANDSHAKE_TIMEOUT_MS, Registrar } from './Registrar.js';
import { RequestError } from './RequestError.js';
import { RequestTracker, type TrackOptions } from './RequestTracker.js';
import { SignalClient, type WebSocketFactory } from './SignalClient.js';
import type { EngineEvents, EngineOptions, RequestBody } from './types.js';

export type { ConnectionStatus, ConversationServerEvent, EngineEvents, EngineOptions, RequestBody } from './types.js';

type State = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** A ping without answer within this time means the socket is dead (protocol: Heartbeat). */
const PING_TIMEOUT_MS = 10_000;
/** Longest wait for the presence snapshots after a re-registration before concluding. */
const RESYNC_SETTLE_MS = 1_500;
/** Rejection message of a delivery sent on a session that was lost before answering it. */
const UNKNOWN_OUTCOME = 'connection lost before the server confirmed it; not sent again, as it may have been delivered';
/** Close codes after which reconnecting is pointless. */
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.REPLACED, CloseCode.PROTOCOL_ABUSE, CloseCode.RATE_LIMITED]);

/**
 * Connection state of one Session: lookup, WebSocket, registration, request/answer correlation,
 * event sequence tracking, heartbeat, and reconnection (resume, or register again and resync
 * presence when the server has dropped the session). The handshakes themselves (register, resume)
 * and the identity they establish are the {@link Registrar}'s. Knows nothing of apiRTC objects: it
 * speaks ids and protocol payloads, and the Session facade listens to its events.
 */
export class Engine extends Emitter<EngineEvents> {
  /** Membership of the watched presence groups. */
  readonly presence = new PresenceTracker();
  /**
   * Members of the joined conversations, by conversation name. Kept apart from {@link presence}:
   * the server reports them in their own keys and a presence group may have the same name.
   */
  readonly conversationPresence = new PresenceTracker();
  readonly #options: EngineOptions;
  readonly #tracker = new RequestTracker();
  readonly #reconnector: Reconnector;
  readonly #membership: Membership;
  readonly #registrar: Registrar;
  readonly #ice: IceServerBook;
  readonly #heartbeat: Heartbeat;
  readonly #abort = new AbortController();
  #state: State = 'idle';
  #socket: SignalClient | null = null;
  #wsUrl = '';
  /** WebSocket URLs to try in turn when reconnecting: the server's, then the other cluster nodes the lookup named. */
  #wsUrls: string[] = [];
  #lastSeq = 0;
  #awaitingResync = false;
  #resyncTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: EngineOptions) {
    super();
    this.#options = options;
    this.#membership = new Membership(options.groups, options.subscribeTo, options.userData);
    this.#ice = new IceServerBook(() => this.request({ type: 'ice.servers' }), options.turnServerAddress);
    this.#registrar = new Registrar(options, this.#tracker, this.#membership, this.#ice);
    this.#reconnector = new Reconnector(
      {
        attempt: () => this.#reconnectOnce(),
        scheduled: () => {
          this.emit('status', 'retry');
          this.emit('reconnecting');
        },
        giveUp: (reason) => this.#shutdown(reason, false),
      },
      { initialDelayMs: options.retryDelayMs ?? 1000, maxRetries: options.maxRetries },
    );
    this.#heartbeat = new Heartbeat(
      () => this.request({ type: 'ping' }, { timeoutMs: PING_TIMEOUT_MS, volatile: true }),
      (err) => err instanceof RequestError && err.kind === 'timeout',
      () => this.#dropSocket('heartbeat timed out'),
    );
  }

  /** Groups joined, in joining order. */
  /** HTTP base URL of the server (cloud media uploads and downloads). */
  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  /** STUN/TURN servers for the session's RTCPeerConnections (fresh credentials). */
  get iceServers(): RTCIceServer[] {
    return this.#ice.current;
  }

  get groups(): string[] {
    return this.#membership.groups;
  }

  /** Groups subscribed to. */
  get subscriptions(): string[] {
    return this.#membership.subscriptions;
  }

  /**
   * Looks the server up, opens the socket and registers.
   * @throws ConnectError (`lookup`, `network`, `refused` or `aborted`).
   */
  async connect(): Promise<RegisterResult> {
    if (this.#state !== 'idle') throw new ConnectError('aborted', 'engine already used');
    this.#state = 'connecting';
    try {
      const found = await lookupServer(this.#options.baseUrl, {
        retries: this.#options.lookupRetries ?? 100,
        retryDelayMs: this.#options.lookupRetryDelayMs ?? 200,
        fetchImpl: this.#options.fetchImpl,
        signal: this.#abort.signal,
      });
      this.#wsUrl = toWebSocketUrl(this.#options.baseUrl, found.wsPath);
      this.#wsUrls = clusterUrls(this.#wsUrl, found);
      const result = await this.#register(await this.#open());
      if (this.#state !== 'connecting') throw new ConnectError('aborted', 'unregistered while connecting');
      this.#state = 'open';
      this.#heartbeat.start(this.#registrar.heartbeatMs);
      this.emit('status', 'connected');
      return result;
    } catch (err) {
      this.#state = 'closed';
      this.#stopTimers();
      this.#socket?.detach();
      this.#socket = null;
      this.#tracker.failAll('connection failed');
      throw err instanceof ConnectError ? err : new ConnectError('network', errorText(err));
    }
  }

  /**
   * Sends a session request; queued while reconnecting and sent (again, same id) on the next
   * socket. Resolves the answer's data; rejects a {@link RequestError}.
   */
  request<B extends RequestBody>(body: B, options?: TrackOptions): Promise<AnswerOf<B['type']>> {
    if (this.#state === 'closed' || this.#state === 'idle') {
      return Promise.reject(new RequestError('closed', ErrorCode.OTHER, 'not connected'));
    }
    // A body plus its id is the request of the body's type (spreading loses that for TypeScript).
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the rule is wrong here: without it the tracker's answer widens to every request type
    const message = { ...body, id: this.#tracker.nextId() } as ClientMessage & { type: B['type'] };
    const answer = this.#tracker.track(message, options);
    if (this.#state === 'open' && this.#socket) this.#sendTracked(this.#socket, message);
    return answer;
  }

  /** Joins (and watches) `group`; false when already joined. */
  joinGroup(group: string): boolean {
    return this.#send(this.#membership.join(group));
  }

  /** Leaves and stops watching `group`; false when not joined. */
  leaveGroup(group: string): boolean {
    return this.#send(this.#membership.leave(group));
  }

  /** Watches `group` without joining it; false when already subscribed. */
  subscribeToGroup(group: string): boolean {
    return this.#send(this.#membership.subscribe(group));
  }

  /** Stops watching `group`; false when not subscribed. */
  unsubscribeToGroup(group: string): boolean {
    return this.#send(this.#membership.unsubscribe(group));
  }

  /** Publishes the whole user-data bag (kept for a re-registration). */
  setUserData(userData: UserDataBag): Promise<void> {
    this.#membership.userData = userData;
    return this.request({ type: 'userData.set', userData });
  }

  /** Unregisters (best effort) and closes for good. */
  async unregister(): Promise<void> {
    if (this.#state === 'closed') throw new RequestError('closed', ErrorCode.OTHER, 'already closed');
    if (this.#state === 'open') {
      try {
        await this.request({ type: 'unregister' }, { timeoutMs: 5_000, volatile: true });
      } catch (err) {
        // The server closes with 4000 right after answering; losing that race is not a failure.
        if ((this.#state as State) !== 'closed') log.warn('unregister request failed; closing anyway', err);
      }
    }
    this.#shutdown('unregistered', true);
  }

  /**
   * Debug hook (`Parley.debug.dropConnection()`): drops the socket exactly as a network loss
   * would, without telling the server, so the reconnection path runs.
   * @returns false when there is no open socket.
   */
  dropConnection(): boolean {
    return this.#dropSocket('dropped by debug hook');
  }

  /** Sends membership requests (errors only logged: the apiRTC methods return nothing); false if none. */
  #send(requests: RequestBody[]): boolean {
    for (const body of requests) {
      this.request(body).catch((err: unknown) => log.error(`${body.type} failed:`, errorText(err)));
      // Presence of a group no longer watched is dropped silently (the user left it).
      if (body.type === 'group.leave' || body.type === 'group.unsubscribe') {
        if (!this.#membership.watches(body.group)) this.presence.forgetGroup(body.group);
      }
    }
    return requests.length > 0;
  }

  async #open(): Promise<SignalClient> {
    const factory = this.#options.webSocketFactory ?? (globalThis.WebSocket as unknown as WebSocketFactory);
    if (!factory) throw new ConnectError('network', 'WebSocket is not available');
    let socket: SignalClient;
    try {
      socket = await SignalClient.open(this.#wsUrl, factory, HANDSHAKE_TIMEOUT_MS);
    } catch (err) {
      throw new ConnectError('network', errorText(err));
    }
    if (this.#state === 'closed') {
      socket.detach();
      throw new ConnectError('aborted', 'closed while connecting');
    }
    socket.on('message', (m) => this.#onMessage(socket, m));
    socket.on('close', (code, reason) => this.#onClose(socket, code, reason));
    this.#socket?.detach();
    this.#socket = socket;
    return socket;
  }

  async #register(socket: SignalClient): Promise<RegisterResult> {
    this.#lastSeq = 0;
    const data = await this.#registrar.register(socket);
    this.presence.setSelfId(data.userId);
    this.conversationPresence.setSelfId(data.userId);
    return data;
  }

  #onMessage(socket: SignalClient, message: ServerMessage): void {
    if (socket !== this.#socket) return;
    switch (message.type) {
      case 'answer':
        this.#tracker.settle(message);
        return;
      case 'protocolError':
        log.error(`server reported a protocol error: ${message.error.message}`);
        this.emit('status', 'error');
        return;
      default:
        break;
    }
    // Events carry a per-session seq; an event at or below the last one seen is a replay duplicate.
    if (message.seq <= this.#lastSeq) return;
    this.#lastSeq = message.seq;
    switch (message.type) {
      case 'presence': {
        const diff = this.presence.apply(message);
        // User data changes are shared by both namespaces: the group tracker reports them once.
        const conversations = this.conversationPresence.apply({
          joinedGroup: message.joinedConversation ?? {},
          leftGroup: message.leftConversation ?? {},
          userDataChanged: [],
        });
        if (!isEmptyDiff(diff) || !isEmptyDiff(conversations)) this.emit('presence', diff, conversations);
        if (this.#awaitingResync && !this.presence.resyncing) this.#finishResync();
        return;
      }
      case 'contact.data':
        this.emit('contactData', message);
        return;
      case 'contact.message':
        this.emit('contactMessage', message);
        return;
      case 'contact.customEvent':
        this.emit('contactCustomEvent', message);
        return;
      case 'peer.signal':
        this.emit('peerSignal', message);
        return;
      default:
        // conv.*, media.*, mesh.signal: every remaining event names its conversation.
        this.emit('conversation', message);
        return;
    }
  }

  #onClose(socket: SignalClient, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#heartbeat.stop();
    this.#tracker.failVolatile(`socket closed (${code})`);
    // While connecting or reconnecting, the pending handshake fails and its owner decides.
    if (this.#state === 'open') this.#onLost(code, reason || `socket closed (${code})`);
  }

  #dropSocket(reason: string): boolean {
    const socket = this.#socket;
    if (!socket || this.#state !== 'open') return false;
    this.#socket = null;
    socket.detach(3000, reason);
    this.#heartbeat.stop();
    this.#tracker.failVolatile(reason);
    this.#onLost(1006, reason);
    return true;
  }

  #onLost(code: number, reason: string): void {
    // The server closes with 4000 right after answering our unregister (the answer may not have
    // been processed yet): that is the end we asked for.
    if (code === CloseCode.UNREGISTERED) {
      this.#shutdown('unregistered', true);
      return;
    }
    if (FINAL_CLOSE_CODES.has(code)) {
      this.#shutdown(`closed by server: ${reason}`, false);
      return;
    }
    log.warn(`connection lost (${reason}); reconnecting`);
    this.#state = 'reconnecting';
    this.#reconnector.start();
  }

  /** One reconnection attempt: resume; if the server dropped the session, register again. */
  async #reconnectOnce(): Promise<void> {
    let socket: SignalClient;
    try {
      socket = await this.#open();
    } catch (err) {
      // Unreachable: in a cluster the next attempt goes to the next node (its session is lost
      // with this node; resuming fails there and the SDK registers and rejoins, as after expiry).
      const i = this.#wsUrls.indexOf(this.#wsUrl);
      const next = this.#wsUrls[(i + 1) % this.#wsUrls.length];
      if (next !== undefined && next !== this.#wsUrl) {
        log.info(`${this.#wsUrl} unreachable; next attempt on ${next}`);
        this.#wsUrl = next;
      }
      throw err;
    }
    // Always try to resume first, whatever our clock says about the resume window: only the
    // server knows whether the session is still there, and registering while it is is refused.
    if (this.#registrar.resumeToken !== '') {
      if (await this.#registrar.resume(socket, this.#lastSeq)) {
        this.#onReconnected(false);
        return;
      }
      // The server closes the refused socket; register on a fresh one.
      socket = await this.#open();
    }
    this.presence.startResync(this.#membership.watched);
    // The server ended the old session's conversations; they are joined again on `reRegistered`.
    this.conversationPresence.forgetAll();
    await this.#register(socket);
    // The registration carried the current groups, subscriptions and user data: requests that
    // only changed those are moot. Contact deliveries still need sending.
    // Conversation requests are moot too: the session's conversations are gone on the server and
    // are joined again (with fresh publications and subscriptions) on `reRegistered`.
    this.#tracker.resolveWhere((m) => m.type !== 'contact.send');
    // Contact deliveries already sent on the lost session are failed, not sent again: that
    // session may have delivered them before its answer was lost, and the new session has no
    // memory of their ids, so sending again could deliver twice. The caller learns that the
    // outcome is unknown and decides (apps usually show "not sent" and offer a retry). Those
    // never sent (queued while disconnected) go out on the new session below.
    this.#tracker.failSent(UNKNOWN_OUTCOME);
    this.emit('reRegistered');
    this.#onReconnected(true);
  }

  #onReconnected(reRegistered: boolean): void {
    if (this.#state !== 'reconnecting') return;
    this.#state = 'open';
    this.#heartbeat.start(this.#registrar.heartbeatMs);
    const socket = this.#socket;
    if (socket) for (const message of this.#tracker.unanswered()) this.#sendTracked(socket, message);
    if (reRegistered && this.presence.resyncing) {
      this.#awaitingResync = true;
      this.#resyncTimer = setTimeout(() => this.#finishResync(), RESYNC_SETTLE_MS);
      return;
    }
    this.emit('status', 'connected');
    this.emit('reconnection');
  }

  /** Writes a tracked request; from then on, a lost session leaves its outcome unknown. */
  #sendTracked(socket: SignalClient, message: ClientMessage): void {
    this.#tracker.markSent(message.id);
    socket.send(message);
  }

  #finishResync(): void {
    clearTimeout(this.#resyncTimer);
    this.#resyncTimer = undefined;
    if (!this.#awaitingResync) return;
    this.#awaitingResync = false;
    const diff = this.presence.finishResync();
    if (!isEmptyDiff(diff)) this.emit('presence', diff, emptyDiff());
    this.emit('status', 'connected');
    this.emit('reconnection');
  }

  #stopTimers(): void {
    this.#ice.close();
    this.#heartbeat.stop();
    this.#reconnector.stop();
    clearTimeout(this.#resyncTimer);
    this.#resyncTimer = undefined;
    this.#awaitingResync = false;
  }

  #shutdown(reason: string, voluntary: boolean): void {
    if (this.#state === 'closed') return;
    const wasConnecting = this.#state === 'connecting';
    this.#state = 'closed';
    this.#abort.abort();
    this.#stopTimers();
    this.#socket?.detach(1000, reason);
    this.#socket = null;
    this.#tracker.failAll(reason);
    // A registration still in progress reports through connect()'s rejection instead.
    if (wasConnecting) return;
    this.emit('status', 'disconnected');
    this.emit('closed', reason, voluntary);
  }
}
