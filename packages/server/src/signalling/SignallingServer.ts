import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@parley/protocol';
import { WebSocketServer } from 'ws';
import { WS_MAX_PAYLOAD, type Limits } from '../config/Config.js';
import { addressKey, clientAddress, isLoopback, type ProxyTrust } from '../http/clientAddress.js';
import type { Logger } from '../logging/logger.js';
import type { SessionManager } from '../session/SessionManager.js';
import { Connection } from './Connection.js';
import type { RequestRouter } from './RequestRouter.js';

/** Path of the signalling WebSocket. */
export const WS_PATH = '/ws';

/** Dependencies of {@link SignallingServer}. */
export interface SignallingServerDeps {
  manager: SessionManager;
  router: RequestRouter;
  limits: Limits;
  /** Which proxies' `X-Forwarded-For` gives client addresses (see `http.trustProxy`). */
  trustProxy: ProxyTrust;
  log: Logger;
}

/**
 * The signalling endpoint: accepts WebSocket upgrades on {@link WS_PATH} of the HTTP server,
 * creates one Connection per socket and pings every socket periodically (a socket that missed
 * the previous pong is terminated; its session stays resumable).
 */
export class SignallingServer {
  readonly #deps: SignallingServerDeps;
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<Connection>();
  /** Open sockets by {@link addressKey} (addresses exempt from the per-IP limit are not counted). */
  readonly #perAddress = new Map<string, number>();
  readonly #pingTimer: NodeJS.Timeout;
  readonly #onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.#upgrade(req, socket, head);
  #closing: Promise<void> | null = null;

  constructor(http: Server, deps: SignallingServerDeps) {
    this.#deps = deps;
    this.#http = http;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: WS_MAX_PAYLOAD,
      clientTracking: false,
      perMessageDeflate: false,
      // Frames that arrive together are handled in the same tick, so their presence changes
      // are batched together.
      allowSynchronousEvents: true,
    });
    http.on('upgrade', this.#onUpgrade);
    this.#pingTimer = setInterval(() => {
      for (const connection of this.#connections) {
        // A timer: one failing socket must neither stop the round nor end the process.
        try {
          connection.heartbeat();
        } catch (error) {
          deps.log.error({ err: error, remote: connection.remoteAddress }, 'heartbeat failed');
        }
      }
    }, deps.limits.pingIntervalMs);
    this.#pingTimer.unref();
  }

  /** Open sockets. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /**
   * Closes every socket with `code` (default 4005, server shutting down) and stops accepting
   * new ones. Sockets that do not complete the close handshake within `graceMs` are
   * terminated. Safe to call twice.
   */
  close(code: number = CloseCode.SERVER_SHUTDOWN, reason = 'server shutting down', graceMs = 2000): Promise<void> {
    this.#closing ??= this.#close(code, reason, graceMs);
    return this.#closing;
  }

  async #close(code: number, reason: string, graceMs: number): Promise<void> {
    clearInterval(this.#pingTimer);
    this.#http.off('upgrade', this.#onUpgrade);
    const pending = [...this.#connections].map((connection) => new Promise<void>((resolve) => connection.on('closed', () => resolve())));
    for (const connection of this.#connections) connection.close(code, reason);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    if ((await Promise.race([Promise.all(pending), grace])) === 'timeout') {
      for (const connection of this.#connections) connection.terminate();
      await Promise.all(pending);
    }
    clearTimeout(timer);
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== WS_PATH) return reject(socket, 404, 'Not Found', `no WebSocket endpoint at ${path}; use ${WS_PATH}`);
    if (this.#closing) return reject(socket, 503, 'Service Unavailable', 'server shutting down');
    if (this.#connections.size >= this.#deps.limits.maxConnections) {
      this.#deps.log.warn({ max: this.#deps.limits.maxConnections }, 'connection limit reached: refusing socket');
      return reject(socket, 503, 'Service Unavailable', 'too many connections');
    }
    const address = clientAddress(req, this.#deps.trustProxy);
    if (!this.#admitAddress(address, socket)) {
      this.#deps.log.info({ remote: address, max: this.#deps.limits.maxConnectionsPerIp }, 'per-address connection limit reached: refusing socket');
      return reject(socket, 429, 'Too Many Requests', 'too many connections from this address');
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new Connection(
        ws,
        { origin: req.headers.origin, remoteAddress: address },
        { manager: this.#deps.manager, router: this.#deps.router, limits: this.#deps.limits, log: this.#deps.log },
      );
      this.#connections.add(connection);
      connection.on('closed', () => this.#connections.delete(connection));
    });
  }

  /**
   * Counts a socket of `address` unless it is at its limit. Released when the raw socket
   * closes, which also covers upgrades that fail after this point.
   */
  #admitAddress(address: string | undefined, socket: Duplex): boolean {
    const { maxConnectionsPerIp, exemptLoopback } = this.#deps.limits;
    if (address === undefined || (exemptLoopback && isLoopback(address))) return true;
    const key = addressKey(address);
    const open = this.#perAddress.get(key) ?? 0;
    if (open >= maxConnectionsPerIp) return false;
    this.#perAddress.set(key, open + 1);
    socket.once('close', () => {
      const left = (this.#perAddress.get(key) ?? 1) - 1;
      if (left > 0) this.#perAddress.set(key, left);
      else this.#perAddress.delete(key);
    });
    return true;
  }
}

function reject(socket: Duplex, status: number, statusText: string, body: string): void {
  // A peer that resets meanwhile must not raise an 'error' nobody listens to (process exit).
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.once('finish', () => socket.destroy());
}
