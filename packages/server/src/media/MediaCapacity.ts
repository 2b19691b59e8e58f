import { readdirSync, readFileSync } from 'node:fs';
import { noCapacity } from './errors.js';
import type { MediaConfig } from './MediaConfig.js';

/**
 * UDP sockets one PeerConnection holds. Measured with node-datachannel 0.33.4 (libjuice, BUNDLE,
 * rtcp-mux): creating the PeerConnection opens none, gathering (the first local description)
 * opens one socket, dual-stack, bound to one port of the range; libdatachannel closes it on its
 * own thread a moment after `close()` (seen under load: a port reused at once was still bound). libdatachannel's threads add a few descriptors once per process.
 */
export const SOCKETS_PER_CONNECTION = 1;

/** What the capacity needs to know about the process; replaced by tests. */
export interface FdProbe {
  /** Soft RLIMIT_NOFILE, Infinity when unlimited, undefined when unknown. */
  softLimit(): number | undefined;
  /** Descriptors open now, undefined when they cannot be counted. */
  openCount(): number | undefined;
  /**
   * Distinct UDP ports of `min`–`max` bound right now by any socket of the machine's network
   * namespace, undefined when they cannot be read.
   */
  portsBound?(min: number, max: number): number | undefined;
}

/** One PeerConnection's share of the capacity. */
export interface CapacityReservation {
  /** Its socket is open (the first description was applied): the live fd count includes it. */
  markOpen(): void;
  /** Gives the share back. Idempotent. */
  release(): void;
}

/**
 * Accounts the sockets of every PeerConnection of the SFU against the UDP port range and the
 * process's file-descriptor limit, so that a connection the server cannot afford is refused in
 * JavaScript. Past either limit libdatachannel cannot gather ICE candidates, and on the offerer
 * path (`setLocalDescription`, subscriber connections) node-datachannel lets the resulting C++
 * exception escape: the process aborts, no handler can catch it.
 *
 * Two checks, both before `new PeerConnection`:
 * - reserved connections × {@link SOCKETS_PER_CONNECTION} ≤ ports in the range, and ≤ soft
 *   fd limit − `fdReserve` (static, also where /proc is missing);
 * - descriptors open now + sockets of reservations not open yet + one more socket ≤ soft fd
 *   limit − `fdReserve` (live, so WebSockets and everything else the process holds count too).
 */
export class MediaCapacity {
  /** Connections the port range allows (Infinity without a range). */
  readonly portSlots: number;
  readonly #fdReserve: number;
  readonly #probe: FdProbe;
  readonly #range: { readonly min: number; readonly max: number } | undefined;
  #reserved = 0;
  /** Reserved, socket not open yet: not seen by the live count. */
  #pending = 0;
  #refused = 0;

  constructor(config: Pick<MediaConfig, 'portRange' | 'fdReserve'>, probe: FdProbe = procFdProbe) {
    const range = config.portRange;
    this.portSlots = range === undefined ? Infinity : Math.floor((range.max - range.min + 1) / SOCKETS_PER_CONNECTION);
    this.#fdReserve = config.fdReserve;
    this.#probe = probe;
    this.#range = range;
  }

  /** PeerConnections currently reserved. */
  get reserved(): number {
    return this.#reserved;
  }

  /** Reservations refused since start. */
  get refused(): number {
    return this.#refused;
  }

  /**
   * Reserves room for one PeerConnection.
   * @throws ParleyError code 0 "not enough bandwidth: …" when there is none.
   */
  reserve(): CapacityReservation {
    const shortage = this.#shortage();
    if (shortage !== undefined) {
      this.#refused++;
      throw noCapacity(shortage);
    }
    this.#reserved++;
    this.#pending++;
    let open = false;
    let released = false;
    return {
      markOpen: () => {
        if (open || released) return;
        open = true;
        this.#pending--;
      },
      release: () => {
        if (released) return;
        released = true;
        this.#reserved--;
        if (!open) this.#pending--;
      },
    };
  }

  /** Why one more connection does not fit, or undefined when it does. */
  #shortage(): string | undefined {
    if (this.#reserved + 1 > this.portSlots) return 'no free media port on the server';
    // The ports really bound count too: libdatachannel closes a connection's socket on its own
    // thread a moment after close() (a released slot may still be held), and another process may
    // hold a port of the range. Either would make the next gathering fail, and abort.
    const range = this.#range;
    const bound = range === undefined ? undefined : this.#probe.portsBound?.(range.min, range.max);
    if (bound !== undefined && bound + this.#pending + 1 > this.portSlots) return 'no free media port on the server';
    const limit = this.#probe.softLimit();
    if (limit === undefined || limit === Infinity) return undefined;
    const budget = limit - this.#fdReserve;
    if ((this.#reserved + 1) * SOCKETS_PER_CONNECTION > budget) return 'media server at its file-descriptor limit';
    const open = this.#probe.openCount();
    if (open !== undefined && open + (this.#pending + 1) * SOCKETS_PER_CONNECTION > budget) return 'media server at its file-descriptor limit';
    return undefined;
  }
}

/** The soft limit read once: only the process itself could change it, and Parley does not. */
let softLimitRead: { value: number | undefined } | undefined;

/** Reads the process's limits from /proc (Linux); answers undefined elsewhere. */
export const procFdProbe: FdProbe = {
  softLimit(): number | undefined {
    softLimitRead ??= { value: readSoftFdLimit() };
    return softLimitRead.value;
  },
  openCount(): number | undefined {
    try {
      return readdirSync('/proc/self/fd').length - 1; // minus the descriptor of the listing itself
    } catch {
      return undefined;
    }
  },
  portsBound(min: number, max: number): number | undefined {
    try {
      const ports = new Set<number>();
      for (const table of ['/proc/net/udp', '/proc/net/udp6']) collectBoundPorts(readFileSync(table, 'utf8'), min, max, ports);
      return ports.size;
    } catch {
      return undefined;
    }
  },
};

/**
 * Adds to `into` the local ports within `min`–`max` of a `/proc/net/udp` or `udp6` table (one
 * socket a line, `local_address` as `HEXADDR:HEXPORT` in the second column).
 */
export function collectBoundPorts(table: string, min: number, max: number, into: Set<number>): Set<number> {
  for (const line of table.split('\n').slice(1)) {
    const local = line.trim().split(/\s+/)[1];
    const colon = local?.lastIndexOf(':') ?? -1;
    if (local === undefined || colon < 0) continue;
    const port = parseInt(local.slice(colon + 1), 16);
    if (port >= min && port <= max) into.add(port);
  }
  return into;
}

/** Soft RLIMIT_NOFILE from `/proc/self/limits`. Node raises it to the hard limit at start-up. */
export function readSoftFdLimit(): number | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
  return parseSoftFdLimit(text);
}

/** The soft value of the "Max open files" line of a `/proc/<pid>/limits` text. */
export function parseSoftFdLimit(limits: string): number | undefined {
  const m = /^Max open files\s+(\S+)/m.exec(limits);
  if (!m) return undefined;
  if (m[1] === 'unlimited') return Infinity;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : undefined;
}
