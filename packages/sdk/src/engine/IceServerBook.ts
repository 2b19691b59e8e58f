import type { IceServer, IceServersResult } from '@parley/protocol';
import { log } from '../util/Logger.js';

/** Earliest refresh after an update, ms: a server handing out very short lifetimes must not make us spin. */
const MIN_REFRESH_MS = 30_000;

/**
 * The ICE servers (STUN, TURN with ephemeral credentials) the server handed this session, as
 * every RTCPeerConnection of the session is built with them. Updated by the register and resume
 * answers; asks for fresh credentials (`ice.servers`) when half their lifetime is gone, so a
 * connection created late in a long session still authenticates with coturn.
 *
 * `turnServerAddress` (apiRTC's override) replaces the TURN URLs handed out by the server with one
 * address, keeping the server's credentials: it names another TURN server of the same deployment
 * (same shared secret). A bare `host[:port]` becomes TURN over UDP and TCP on that address.
 */
export class IceServerBook {
  #servers: IceServer[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  readonly #refresh: () => Promise<IceServersResult | undefined>;
  readonly #turnOverride: string[] | undefined;

  constructor(refresh: () => Promise<IceServersResult | undefined>, turnServerAddress?: string) {
    this.#refresh = refresh;
    this.#turnOverride = turnServerAddress ? turnUrlsOf(turnServerAddress) : undefined;
  }

  /** The servers for a new RTCPeerConnection (a copy: the caller may keep it). */
  get current(): RTCIceServer[] {
    return this.#servers.map((s) => ({ ...s, urls: [...s.urls] }));
  }

  /** New servers from a register/resume answer or a refresh; `expiresAt` (ms) schedules the next refresh. */
  update(servers: readonly IceServer[] | undefined, expiresAt: number | undefined, now: number = Date.now()): void {
    if (this.#closed) return;
    this.#servers = (servers ?? []).map((s) => this.#overridden(s));
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (expiresAt === undefined) return;
    const delay = Math.max(MIN_REFRESH_MS, (expiresAt - now) / 2);
    this.#timer = setTimeout(() => void this.#refreshNow(), delay);
  }

  /** Stops refreshing (the session ended). Idempotent. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #refreshNow(): Promise<void> {
    this.#timer = undefined;
    try {
      const fresh = await this.#refresh();
      if (fresh) this.update(fresh.iceServers, fresh.expiresAt);
    } catch (err) {
      // Not fatal: connections already up keep their credentials; the next resume brings new ones.
      log.warn('could not refresh the TURN credentials', err);
    }
  }

  #overridden(server: IceServer): IceServer {
    if (this.#turnOverride === undefined || server.username === undefined) return { ...server, urls: [...server.urls] };
    return { ...server, urls: [...this.#turnOverride] };
  }
}

/** TURN URLs of apiRTC's `turnServerAddress`: a URL as is, a bare address as TURN over UDP and TCP. */
export function turnUrlsOf(address: string): string[] {
  const a = address.trim();
  if (/^turns?:/.test(a)) return [a];
  const hostPort = /:\d+$/.test(a) || a.startsWith('[') ? a : `${a}:3478`;
  return [`turn:${hostPort}?transport=udp`, `turn:${hostPort}?transport=tcp`];
}
