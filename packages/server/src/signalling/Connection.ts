import {
  checkRequest,
  CloseCode,
  ErrorCode,
  isRequestType,
  ParleyError,
  type RegisterRequest,
  type ResumeRequest,
  type SessionRequest,
  type WireError,
} from '@parley/protocol';
import { WebSocket, type RawData } from 'ws';
import type { Limits } from '../config/Config.js';
import type { Logger } from '../logging/logger.js';
import type { Established, SessionManager } from '../session/SessionManager.js';
import type { SessionTransport } from '../session/SessionTransport.js';
import type { UserSession } from '../session/UserSession.js';
import { Emitter } from '../util/Emitter.js';
import { errorAnswer, okAnswer, protocolError } from './answers.js';
import { exceedsDepth } from './jsonDepth.js';
import { PEEK_LIMIT, peekRequestId } from './peekRequestId.js';
import { RateLimiter } from './RateLimiter.js';
import { Reply } from '../session/Reply.js';
import type { RequestRouter } from './RequestRouter.js';
import { SlidingWindow } from '../util/SlidingWindow.js';

/** Events of {@link Connection}. */
export interface ConnectionEvents {
  /** The socket is closed (for any reason); emitted once. */
  closed: [code: number];
}

/** Dependencies of {@link Connection}. */
export interface ConnectionDeps {
  manager: SessionManager;
  router: RequestRouter;
  limits: Limits;
  log: Logger;
}

/** Where the socket came from. */
export interface ConnectionInfo {
  origin: string | undefined;
  remoteAddress: string | undefined;
}

type State = 'handshake' | 'pending' | 'attached' | 'closed';

/**
 * One WebSocket. Turns frames into validated requests and answers each exactly once:
 * size cap, nesting depth, JSON, id, rate limit, answer cache (repeated ids after a resume), schema, then
 * the handshake (`register`/`resume`) or the request router. Never lets an exception escape:
 * an unexpected one becomes an error answer with code 0 and a log line.
 *
 * Abuse closes the socket: 20 invalid frames in 10 s (4002), repeated rate-limit refusals
 * (4006), no handshake in time (4004).
 */
export class Connection extends Emitter<ConnectionEvents> implements SessionTransport {
  readonly origin: string | undefined;
  readonly remoteAddress: string | undefined;
  /** Cleared at each server ping, set by the pong (or any frame); see SignallingServer. */
  alive = true;

  readonly #ws: WebSocket;
  readonly #deps: ConnectionDeps;
  readonly #rate: RateLimiter;
  #invalid: SlidingWindow | null = null;
  #state: State = 'handshake';
  #session: UserSession | null = null;
  #handshakeTimer: NodeJS.Timeout | null;
  #closing = false;

  constructor(ws: WebSocket, info: ConnectionInfo, deps: ConnectionDeps) {
    super((error, event) => deps.log.error({ err: error, event }, 'connection listener threw'));
    this.#ws = ws;
    this.#deps = deps;
    this.origin = info.origin;
    this.remoteAddress = info.remoteAddress;
    this.#rate = new RateLimiter(deps.limits.rateLimit);
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('close', (code) => this.#onClose(code));
    ws.on('error', (error) => deps.log.debug({ err: error, remote: this.remoteAddress }, 'socket error'));
    ws.on('pong', () => {
      this.alive = true;
    });
    this.#handshakeTimer = setTimeout(() => {
      this.#handshakeTimer = null;
      deps.log.debug({ remote: this.remoteAddress }, 'handshake timeout');
      this.close(CloseCode.HANDSHAKE_TIMEOUT, 'handshake timeout');
    }, deps.limits.handshakeTimeoutMs);
  }

  /** The attached session, once the handshake succeeded. */
  get session(): UserSession | null {
    return this.#session;
  }

  /** Writes one text frame; a client that stops reading is dropped (it may resume). */
  sendRaw(text: string): void {
    const ws = this.#ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(text);
    if (ws.bufferedAmount > this.#deps.limits.maxBufferedBytes) {
      this.#deps.log.warn({ remote: this.remoteAddress, buffered: ws.bufferedAmount }, 'client not reading: dropping socket');
      this.terminate();
    }
  }

  /** Closes the socket with `code` (close handshake); safe to call twice. */
  close(code: number, reason: string): void {
    if (this.#closing || this.#state === 'closed') return;
    this.#closing = true;
    this.#clearHandshakeTimer();
    try {
      this.#ws.close(code, reason);
    } catch (error) {
      this.#deps.log.debug({ err: error }, 'close failed; terminating');
      this.#ws.terminate();
    }
  }

  /** Destroys the socket without close handshake (dead peer). */
  terminate(): void {
    this.#closing = true;
    this.#ws.terminate();
  }

  /** Heartbeat round: terminate if the previous ping got no pong, else ping again. */
  heartbeat(): void {
    if (this.#state === 'closed') return;
    if (!this.alive) {
      this.#deps.log.debug({ remote: this.remoteAddress }, 'missed pong: terminating');
      this.terminate();
      return;
    }
    this.alive = false;
    try {
      this.#ws.ping();
    } catch {
      // Socket already closing: the close event cleans up.
    }
  }

  #onClose(code: number): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#clearHandshakeTimer();
    const session = this.#session;
    if (session) this.#deps.manager.connectionClosed(session, this);
    this.emit('closed', code);
    this.removeAllListeners();
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#closing || this.#state === 'closed') return;
    this.alive = true;
    let id: number | undefined;
    try {
      const buffer = toBuffer(data);
      if (isBinary) return this.#rejectFrame(undefined, 'binary frames are not supported');
      if (buffer.length > this.#deps.limits.maxMessageBytes) {
        return this.#rejectFrame(peekRequestId(buffer.toString('utf8', 0, PEEK_LIMIT)), 'message too large');
      }
      const text = buffer.toString('utf8');
      // Before parsing: a deep frame parses fine but overflows the stack wherever it is
      // serialized or walked later, possibly in a timer (see jsonDepth.ts).
      if (exceedsDepth(text, this.#deps.limits.maxJsonDepth)) {
        return this.#rejectFrame(peekRequestId(text), `message nested deeper than ${this.#deps.limits.maxJsonDepth} levels`);
      }
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        return this.#rejectFrame(undefined, 'message is not valid JSON');
      }
      if (!isRecord(message) || !isRequestId(message.id)) {
        return this.#rejectFrame(undefined, 'message has no valid id (non-negative integer)');
      }
      id = message.id;
      if (!this.#rate.take()) {
        this.sendRaw(errorAnswer(id, ErrorCode.OTHER, 'rate limit exceeded'));
        if (this.#rate.exhausted) this.#abuse(CloseCode.RATE_LIMITED, 'rate limited');
        return;
      }
      this.#dispatch(id, message);
    } catch (error) {
      // Only reached on a bug before the request was answered.
      this.#deps.log.error({ err: error, remote: this.remoteAddress }, 'unexpected error handling a frame');
      if (id !== undefined) this.sendRaw(errorAnswer(id, ErrorCode.OTHER, 'internal error'));
    }
  }

  #dispatch(id: number, message: Record<string, unknown>): void {
    const type = message.type;
    if (this.#state === 'attached') {
      const session = this.#session as UserSession;
      const stored = session.answerFor(id);
      if (stored !== undefined) return this.sendRaw(stored);
      // Sent again (after a resume) while the first one still runs: its answer goes out once,
      // when it settles, on whatever socket the session has then.
      if (session.isInFlight(id)) return;
      if (type === 'register' || type === 'resume') {
        return this.sendRaw(errorAnswer(id, ErrorCode.WRONG_STATE, 'already registered on this connection'));
      }
      const checked = checkRequest(message, 'session');
      if (!checked.ok) return this.#rejectFrame(id, checked.error);
      return this.#runSessionRequest(session, checked.request);
    }
    if (this.#state === 'pending') {
      return this.sendRaw(errorAnswer(id, ErrorCode.WRONG_STATE, 'registration in progress'));
    }
    // Handshake.
    if (type === 'register' || type === 'resume') {
      const checked = checkRequest(message, 'handshake');
      if (!checked.ok) return this.#rejectFrame(id, checked.error);
      if (checked.request.type === 'register') return this.#register(checked.request);
      return this.#resume(checked.request);
    }
    if (isRequestType(type)) {
      return this.sendRaw(errorAnswer(id, ErrorCode.WRONG_STATE, 'register or resume first'));
    }
    return this.#rejectFrame(id, { code: ErrorCode.BAD_PARAMETER, message: 'unknown message type' });
  }

  #runSessionRequest(session: UserSession, request: SessionRequest): void {
    if (request.type === 'unregister') {
      this.sendRaw(okAnswer(request.id));
      this.#deps.manager.end(session, CloseCode.UNREGISTERED, 'unregistered');
      return;
    }
    let answer: string;
    let after: (() => void) | null = null;
    try {
      const result = this.#deps.router.handle(session, request);
      if (result instanceof Promise) return this.#answerLater(session, request.id, result);
      if (result instanceof Reply) {
        answer = okAnswer(request.id, result.data);
        after = result.after;
      } else {
        answer = okAnswer(request.id, result);
      }
    } catch (error) {
      answer = this.#errorAnswerOf(request.id, error);
    }
    // Re-running a ping is harmless: not remembering it keeps idle sessions small.
    if (request.type !== 'ping') session.rememberAnswer(request.id, answer);
    this.sendRaw(answer);
    if (after) {
      try {
        after();
      } catch (error) {
        this.#deps.log.error({ err: error, remote: this.remoteAddress }, 'unexpected error after an answer');
      }
    }
  }

  /**
   * Answers when `pending` settles, on whatever socket the session has by then (it may have
   * resumed elsewhere); the answer is remembered so a client that missed it gets it when it
   * repeats the id, and the id counts as in flight until then. Nothing is sent to an ended
   * session. Runs as a promise continuation, where nothing would catch: a result that cannot
   * be serialized fails this one request, and any other error is logged.
   */
  #answerLater(session: UserSession, id: number, pending: Promise<unknown>): void {
    session.beginRequest(id);
    const deliver = (answer: () => string): void => {
      if (session.ended) return;
      let text: string;
      try {
        text = answer();
      } catch (error) {
        this.#deps.log.error({ err: error, userId: session.userId, id }, 'answer could not be serialized');
        text = errorAnswer(id, ErrorCode.OTHER, 'internal error');
      }
      session.rememberAnswer(id, text);
      session.transport?.sendRaw(text);
    };
    pending
      .then(
        (data) => {
          if (!(data instanceof Reply)) return deliver(() => okAnswer(id, data));
          // A Reply that waited (a conversation placed through Redis): its events follow the answer.
          deliver(() => okAnswer(id, data.data));
          if (!session.ended) data.after();
        },
        (error: unknown) => deliver(() => this.#errorAnswerOf(id, error)),
      )
      .catch((error: unknown) => this.#deps.log.error({ err: error, userId: session.userId, id }, 'unexpected error delivering an answer'));
  }

  #register(request: RegisterRequest): void {
    this.#state = 'pending';
    const gone = (): boolean => this.#closing || this.#state === 'closed';
    this.#deps.manager
      .register(request, this.origin, gone)
      .then(
        (established) => {
          try {
            this.#establish(established, okAnswer(request.id, established.result), 0);
          } catch (error) {
            // Not attached, so no expiry timer would ever end it.
            this.#deps.manager.end(established.session);
            throw error;
          }
        },
        (error: unknown) => this.#handshakeFailed(request.id, error),
      )
      .catch((error: unknown) => {
        // A bug in the handshake code: without this the rejection would be unhandled.
        this.#deps.log.error({ err: error, remote: this.remoteAddress }, 'unexpected error completing a registration');
        this.close(1011, 'internal error');
      });
  }

  #resume(request: ResumeRequest): void {
    let established: Established<unknown>;
    try {
      established = this.#deps.manager.resume(request, this.origin);
    } catch (error) {
      return this.#handshakeFailed(request.id, error);
    }
    this.#establish(established, okAnswer(request.id, established.result), request.lastSeq);
  }

  /** Sends the handshake answer, then attaches the session (which replays after `afterSeq`). */
  #establish(established: Established<unknown>, answer: string, afterSeq: number): void {
    const { session } = established;
    if (this.#closing || this.#state === 'closed') {
      // The socket died in between: the session must not linger without an expiry timer.
      this.#deps.manager.end(session);
      return;
    }
    this.#clearHandshakeTimer();
    this.#state = 'attached';
    this.#session = session;
    this.sendRaw(answer);
    session.attach(this, afterSeq);
  }

  #handshakeFailed(id: number, error: unknown): void {
    if (this.#state === 'closed') return;
    this.#state = 'handshake';
    this.sendRaw(this.#errorAnswerOf(id, error));
    if (error instanceof ParleyError && error.code === ErrorCode.INITIALISATION_FAILED) {
      this.#deps.log.debug({ remote: this.remoteAddress, origin: this.origin, reason: error.message }, 'handshake refused');
      this.close(CloseCode.AUTH_FAILED, 'registration refused');
    }
  }

  #errorAnswerOf(id: number, error: unknown): string {
    if (error instanceof ParleyError) return errorAnswer(id, error.code, error.message);
    this.#deps.log.error({ err: error, remote: this.remoteAddress }, 'unexpected error in request handler');
    return errorAnswer(id, ErrorCode.OTHER, 'internal error');
  }

  /** Answers an invalid frame (code 9) and counts it towards the 4002 limit. */
  #rejectFrame(id: number | undefined, error: string | WireError): void {
    const { code, message } = typeof error === 'string' ? { code: ErrorCode.BAD_PARAMETER, message: error } : error;
    this.sendRaw(id === undefined ? protocolError(code, message) : errorAnswer(id, code, message));
    const { max, windowMs } = this.#deps.limits.invalidFrames;
    this.#invalid ??= new SlidingWindow(max, windowMs);
    if (this.#invalid.hit(performance.now())) this.#abuse(CloseCode.PROTOCOL_ABUSE, 'too many invalid frames');
  }

  /** Closes an abusive socket; its session ends now (the SDK does not resume after these codes). */
  #abuse(code: number, reason: string): void {
    this.#deps.log.info({ remote: this.remoteAddress, userId: this.#session?.userId, code }, reason);
    const session = this.#session;
    if (session && !session.ended) this.#deps.manager.end(session, code, reason);
    else this.close(code, reason);
  }

  #clearHandshakeTimer(): void {
    if (this.#handshakeTimer !== null) {
      clearTimeout(this.#handshakeTimer);
      this.#handshakeTimer = null;
    }
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
