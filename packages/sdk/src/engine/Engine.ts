import {
  CloseCode,
  Defaults,
  ErrorCode,
  RegisterResult,
  ResumeResult,
  type ClientMessage,
  type ContactCustomEvent,
  type ContactDataEvent,
  type ContactMessageEvent,
  type ServerMessage,
  type SessionRequest,
  type UserDataBag,
} from '@parley/protocol';
import { Emitter } from '../util/Emitter.js';
import { log } from '../util/Logger.js';
import { Backoff } from './Backoff.js';
import { toWebSocketUrl } from './baseUrl.js';
import { ConnectError } from './ConnectError.js';
import { lookupServer } from './lookup.js';
import { PresenceTracker, isEmptyDiff, type PresenceDiff } from './PresenceTracker.js';
import { RequestError } from './RequestError.js';
import { RequestTracker, type TrackOptions } from './RequestTracker.js';
import { SignalClient, type WebSocketFactory } from './SignalClient.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A session request without its id (the engine numbers it). */
export type RequestBody = DistributiveOmit<SessionRequest, 'id'>;

/** apiRTC's `ccsConnectionStatus` values (§3.12). */
export type ConnectionStatus = 'connected' | 'disconnected' | 'error' | 'retry';

/** Events of the {@link Engine}, heard by the Session facade. */
export interface EngineEvents {
  status: [status: ConnectionStatus];
  /** The socket was lost; a reconnection attempt is scheduled (once per attempt). */
  reconnecting: [];
  /** Session recovered (resumed, or registered again and presence resynced). */
  reconnection: [];
  /** Closed for good: unregister (`voluntary`), refused, replaced, or retries exhausted. */
  closed: [reason: string, voluntary: boolean];
  presence: [diff: PresenceDiff];
  contactData: [event: ContactDataEvent];
  contactMessage: [event: ContactMessageEvent];
  contactCustomEvent: [event: ContactCustomEvent];
}

/** What the engine needs to register and to reconnect. */
export interface EngineOptions {
  /** Parley server base URL (see `resolveBaseUrl`). */
  baseUrl: string;
  apiKey: string;
  /** JWT for identified users. */
  token?: string;
  /** Requested user id (anonymous) or the token's user id. */
  userId?: string;
  groups: string[];
  subscribeTo: string[];
  userData: UserDataBag;
  /** `cloudFetchRetries` (default 100). */
  lookupRetries?: number;
  /** `cloudFetchRetryDelay` in ms (default 200). */
  lookupRetryDelayMs?: number;
  /** `ccsConnectionRetryDelay`: first reconnection delay in ms (default 1000). */
  retryDelayMs?: number;
  /** `ccsConnectionRetryNb`: reconnection attempts before giving up (default unlimited). */
  maxRetries?: number;
  /** Injected for tests; default the global WebSocket / fetch. */
  webSocketFactory?: WebSocketFactory;
  fetchImpl?: typeof fetch;
}

type State = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Timeouts of the handshake and socket opening, in ms. */
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** A ping without answer within this time means the socket is dead (protocol: Heartbeat). */
const PING_TIMEOUT_MS = 10_000;
/** Longest wait for the presence snapshots after a re-registration before concluding. */
const RESYNC_SETTLE_MS = 1_500;
/** Close codes after which reconnecting is pointless. */
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.REPLACED,
  CloseCode.PROTOCOL_ABUSE,
  CloseCode.RATE_LIMITED,
]);

/**
 * Connection state of one Session: lookup, WebSocket, registration, request/answer correlation,
 * event sequence tracking, heartbeat, and reconnection (resume, or register again and resync
 * presence when the server has dropped the session). Knows nothing of apiRTC objects: it speaks
 * ids and protocol payloads, and the Session facade listens to its events.
 */
export class Engine extends Emitter<EngineEvents> {
  /** Membership of the watched presence groups. */
  readonly presence = new PresenceTracker();
  readonly #options: EngineOptions;
  readonly #tracker = new RequestTracker();
  readonly #backoff: Backoff;
  readonly #groups: Set<string>;
  readonly #subscribed: Set<string>;
  readonly #abort = new AbortController();
  #userData: UserDataBag;
  #state: State = 'idle';
  #socket: SignalClient | null = null;
  #wsUrl = '';
  #userId: string | undefined;
  #resumeToken = '';
  #resumeWindowMs: number = Defaults.resumeWindowMs;
  #heartbeatMs: number = Defaults.heartbeatMs;
  #lastSeq = 0;
  #lostAt = 0;
  #retries = 0;
  #awaitingResync = false;
  #heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #resyncTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: EngineOptions) {
    super();
    this.#options = options;
    this.#userId = options.userId;
    this.#groups = new Set(options.groups);
    this.#subscribed = new Set(options.subscribeTo);
    this.#userData = options.userData;
    this.#backoff = new Backoff({ initialMs: options.retryDelayMs ?? 1000 });
  }

  /** The registered user id (undefined before the first registration answer). */
  get userId(): string | undefined {
    return this.#userId;
  }

  /** True once closed for good. */
  get closed(): boolean {
    return this.#state === 'closed';
  }

  /** Groups joined, in joining order. */
  get groups(): string[] {
    return [...this.#groups];
  }

  /** Groups subscribed to (joining a group also subscribes to it). */
  get subscriptions(): string[] {
    return [...this.#subscribed];
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
      const result = await this.#register(await this.#open());
      if (this.#state !== 'connecting') throw new ConnectError('aborted', 'unregistered while connecting');
      this.#state = 'open';
      this.#startHeartbeat();
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
  request(body: RequestBody, options?: TrackOptions): Promise<unknown> {
    if (this.#state === 'closed' || this.#state === 'idle') {
      return Promise.reject(new RequestError('closed', ErrorCode.OTHER, 'not connected'));
    }
    const message = { ...body, id: this.#tracker.nextId() } as ClientMessage;
    const answer = this.#tracker.track(message, options);
    if (this.#state === 'open') this.#socket?.send(message);
    return answer;
  }

  /** Joins (and watches) `group`; false when already joined. */
  joinGroup(group: string): boolean {
    if (this.#groups.has(group)) return false;
    this.#groups.add(group);
    this.#subscribed.add(group);
    this.#fireAndLog({ type: 'group.join', group });
    return true;
  }

  /** Leaves and stops watching `group`; false when not joined. */
  leaveGroup(group: string): boolean {
    if (!this.#groups.delete(group)) return false;
    this.#fireAndLog({ type: 'group.leave', group });
    if (this.#subscribed.delete(group)) this.#fireAndLog({ type: 'group.unsubscribe', group });
    this.presence.forgetGroup(group);
    return true;
  }

  /** Watches `group` without joining it; false when already subscribed. */
  subscribeToGroup(group: string): boolean {
    if (this.#subscribed.has(group)) return false;
    this.#subscribed.add(group);
    this.#fireAndLog({ type: 'group.subscribe', group });
    return true;
  }

  /** Stops watching `group`; false when not subscribed. */
  unsubscribeToGroup(group: string): boolean {
    if (!this.#subscribed.delete(group)) return false;
    this.#fireAndLog({ type: 'group.unsubscribe', group });
    if (!this.#groups.has(group)) this.presence.forgetGroup(group);
    return true;
  }

  /** Publishes the whole user-data bag (kept for a re-registration). */
  setUserData(userData: UserDataBag): Promise<unknown> {
    this.#userData = userData;
    return this.request({ type: 'userData.set', userData });
  }

  /** Unregisters (best effort) and closes for good. */
  async unregister(): Promise<void> {
    if (this.#state === 'closed') throw new RequestError('closed', ErrorCode.OTHER, 'already closed');
    if (this.#state === 'open') {
      try {
        await this.request({ type: 'unregister' }, { timeoutMs: 5_000, volatile: true });
      } catch (err) {
        log.warn('unregister request failed; closing anyway', err);
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

  #fireAndLog(body: RequestBody): void {
    this.request(body).catch((err: unknown) => log.error(`${body.type} failed:`, errorText(err)));
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
    socket.on('message', (m) => this.#onMessage(socket, m));
    socket.on('close', (code, reason) => this.#onClose(socket, code, reason));
    this.#socket?.detach();
    this.#socket = socket;
    return socket;
  }

  /** Sends a handshake request on `socket`; volatile, so a dying socket fails it at once. */
  #handshake(socket: SignalClient, body: DistributiveOmit<ClientMessage, 'id'>): Promise<unknown> {
    const message = { ...body, id: this.#tracker.nextId() } as ClientMessage;
    const answer = this.#tracker.track(message, { timeoutMs: HANDSHAKE_TIMEOUT_MS, volatile: true });
    socket.send(message);
    return answer;
  }

  async #register(socket: SignalClient): Promise<RegisterResult> {
    const { apiKey, token } = this.#options;
    this.#lastSeq = 0;
    let data: unknown;
    try {
      data = await this.#handshake(socket, {
        type: 'register',
        apiKey,
        ...(this.#userId !== undefined ? { userId: this.#userId } : {}),
        ...(token !== undefined ? { token } : {}),
        groups: [...this.#groups],
        subscribeTo: [...this.#subscribed],
        userData: this.#userData,
      });
    } catch (err) {
      if (err instanceof RequestError && err.kind === 'answer') throw new ConnectError('refused', err.message);
      throw new ConnectError('network', errorText(err));
    }
    const result = RegisterResult.safeParse(data);
    if (!result.success) throw new ConnectError('refused', 'invalid registration answer');
    this.#userId = result.data.userId;
    this.presence.setSelfId(result.data.userId);
    this.#resumeToken = result.data.resumeToken;
    this.#resumeWindowMs = result.data.resumeWindowMs;
    this.#heartbeatMs = result.data.heartbeatMs;
    return result.data;
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
        if (!isEmptyDiff(diff)) this.emit('presence', diff);
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
    }
  }

  #onClose(socket: SignalClient, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#stopHeartbeat();
    this.#tracker.failVolatile(`socket closed (${code})`);
    // While connecting or reconnecting, the pending handshake fails and its owner decides.
    if (this.#state === 'open') this.#onLost(code, reason || `socket closed (${code})`);
  }

  #dropSocket(reason: string): boolean {
    const socket = this.#socket;
    if (!socket || this.#state !== 'open') return false;
    this.#socket = null;
    socket.detach(3000, reason);
    this.#stopHeartbeat();
    this.#tracker.failVolatile(reason);
    this.#onLost(1006, reason);
    return true;
  }

  #onLost(code: number, reason: string): void {
    if (FINAL_CLOSE_CODES.has(code) || code === CloseCode.UNREGISTERED) {
      this.#shutdown(`closed by server: ${reason}`, false);
      return;
    }
    log.warn(`connection lost (${reason}); reconnecting`);
    this.#state = 'reconnecting';
    this.#lostAt = Date.now();
    this.#retries = 0;
    this.#backoff.reset();
    this.#scheduleAttempt();
  }

  #scheduleAttempt(): void {
    if (this.#state !== 'reconnecting') return;
    const max = this.#options.maxRetries;
    if (max !== undefined && this.#retries >= max) {
      this.#shutdown('reconnection attempts exhausted', false);
      return;
    }
    this.#retries++;
    this.emit('status', 'retry');
    this.emit('reconnecting');
    this.#retryTimer = setTimeout(() => void this.#attempt(), this.#backoff.next());
  }

  async #attempt(): Promise<void> {
    this.#retryTimer = undefined;
    let socket: SignalClient;
    try {
      socket = await this.#open();
    } catch {
      this.#scheduleAttempt();
      return;
    }
    if (this.#state !== 'reconnecting') return;
    const resumable = this.#resumeToken !== '' && Date.now() - this.#lostAt <= this.#resumeWindowMs;
    if (resumable) {
      try {
        const data = await this.#handshake(socket, { type: 'resume', resumeToken: this.#resumeToken, lastSeq: this.#lastSeq });
        const result = ResumeResult.safeParse(data);
        if (!result.success) throw new RequestError('answer', ErrorCode.INITIALISATION_FAILED, 'invalid resume answer');
        this.#resumeToken = result.data.resumeToken;
        this.#onReconnected(false);
        return;
      } catch (err) {
        if (this.#state !== 'reconnecting') return;
        if (!(err instanceof RequestError && err.kind === 'answer')) {
          this.#scheduleAttempt();
          return;
        }
        log.info(`resume refused (${err.message}); registering again`);
        this.#resumeToken = '';
        // The server closes the refused socket; register on a fresh one.
        try {
          socket = await this.#open();
        } catch {
          this.#scheduleAttempt();
          return;
        }
        if (this.#state !== 'reconnecting') return;
      }
    }
    try {
      this.presence.startResync(new Set([...this.#groups, ...this.#subscribed]));
      await this.#register(socket);
    } catch (err) {
      if (this.#state !== 'reconnecting') return;
      if (err instanceof ConnectError && err.kind === 'refused') {
        this.#shutdown(`registration refused: ${err.message}`, false);
      } else {
        this.#scheduleAttempt();
      }
      return;
    }
    // The registration carried the current groups, subscriptions and user data: requests that
    // only changed those are moot. Contact deliveries still need sending.
    this.#tracker.resolveWhere((m) => m.type !== 'contact.send');
    this.#onReconnected(true);
  }

  #onReconnected(reRegistered: boolean): void {
    this.#state = 'open';
    this.#backoff.reset();
    this.#retries = 0;
    this.#startHeartbeat();
    for (const message of this.#tracker.unanswered()) this.#socket?.send(message);
    if (reRegistered && this.presence.resyncing) {
      this.#awaitingResync = true;
      this.#resyncTimer = setTimeout(() => this.#finishResync(), RESYNC_SETTLE_MS);
      return;
    }
    this.emit('status', 'connected');
    this.emit('reconnection');
  }

  #finishResync(): void {
    clearTimeout(this.#resyncTimer);
    this.#resyncTimer = undefined;
    if (!this.#awaitingResync) return;
    this.#awaitingResync = false;
    const diff = this.presence.finishResync();
    if (!isEmptyDiff(diff)) this.emit('presence', diff);
    this.emit('status', 'connected');
    this.emit('reconnection');
  }

  #startHeartbeat(): void {
    this.#stopHeartbeat();
    this.#heartbeatTimer = setInterval(() => {
      const socket = this.#socket;
      this.request({ type: 'ping' }, { timeoutMs: PING_TIMEOUT_MS, volatile: true }).catch((err: unknown) => {
        if (err instanceof RequestError && err.kind === 'timeout' && socket === this.#socket) {
          this.#dropSocket('heartbeat timed out');
        }
      });
    }, this.#heartbeatMs);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
  }

  #stopTimers(): void {
    this.#stopHeartbeat();
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#resyncTimer);
    this.#retryTimer = this.#resyncTimer = undefined;
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

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
