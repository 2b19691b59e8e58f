import type { ClientMessage, ServerMessage } from '@parley/protocol';
import { Emitter } from '../util/Emitter.js';
import { log } from '../util/Logger.js';
import { decodeServerFrame } from './decodeServerFrame.js';

/** The subset of the browser WebSocket the client uses (also met by test doubles). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** Constructor of a {@link WebSocketLike} (the global `WebSocket` in browsers). */
export type WebSocketFactory = new (url: string) => WebSocketLike;

/** Events of a {@link SignalClient}. */
export interface SignalClientEvents {
  /** A server message with a well-formed envelope ({@link decodeServerFrame}). */
  message: [message: ServerMessage];
  /** The socket closed without {@link SignalClient.detach} having been called. */
  close: [code: number, reason: string];
}

const OPEN = 1;

/**
 * One WebSocket to the server: JSON frames out, envelope-checked frames in, no media and no
 * session logic. Malformed inbound frames are logged and dropped, never passed up.
 */
export class SignalClient extends Emitter<SignalClientEvents> {
  readonly #ws: WebSocketLike;
  #detached = false;

  private constructor(ws: WebSocketLike) {
    super();
    this.#ws = ws;
    ws.onmessage = (ev) => this.#onFrame(ev.data);
    ws.onclose = (ev) => {
      if (!this.#detached) this.emit('close', ev.code, ev.reason);
      this.#detached = true;
    };
  }

  /**
   * Opens a socket to `url`.
   * @throws Error when it cannot be opened within `timeoutMs`.
   */
  static open(url: string, factory: WebSocketFactory, timeoutMs: number): Promise<SignalClient> {
    return new Promise((resolve, reject) => {
      let ws: WebSocketLike;
      try {
        ws = new factory(url);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const timer = setTimeout(() => fail('connection timed out'), timeoutMs);
      function fail(reason: string): void {
        clearTimeout(timer);
        ws.onopen = ws.onclose = ws.onerror = null;
        try {
          ws.close();
        } catch {
          // Already closing: nothing to release.
        }
        reject(new Error(reason));
      }
      ws.onerror = () => log.debug(`websocket error on ${url}`);
      ws.onclose = (ev) => fail(`connection closed (${ev.code})`);
      ws.onopen = () => {
        clearTimeout(timer);
        ws.onerror = null;
        resolve(new SignalClient(ws));
      };
    });
  }

  /** True while frames can be sent. */
  get isOpen(): boolean {
    return !this.#detached && this.#ws.readyState === OPEN;
  }

  /** Sends one message; returns false (and drops it) when the socket is not open. */
  send(message: ClientMessage): boolean {
    if (!this.isOpen) return false;
    try {
      this.#ws.send(JSON.stringify(message));
      return true;
    } catch (err) {
      log.warn('websocket send failed', err);
      return false;
    }
  }

  /**
   * Stops reporting anything and closes the socket. Used when the engine decides on its own that
   * the socket is gone (heartbeat timeout, simulated drop, unregister), so no `close` follows.
   */
  detach(code = 1000, reason = ''): void {
    this.#detached = true;
    this.removeAllListeners();
    try {
      this.#ws.close(code, reason);
    } catch {
      // Closing an already closed socket: nothing to do.
    }
  }

  #onFrame(data: unknown): void {
    if (this.#detached) return;
    if (typeof data !== 'string') {
      log.warn('non-text frame from server dropped');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      log.warn('non-JSON frame from server dropped');
      return;
    }
    const message = decodeServerFrame(json);
    if (typeof message === 'string') {
      log.warn(`invalid server message dropped: ${message}`);
      return;
    }
    log.trace('<-', message);
    this.emit('message', message);
  }
}
