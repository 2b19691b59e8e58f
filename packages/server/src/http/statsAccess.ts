import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { HttpConfig } from '../config/Config.js';
import { isLocalClient } from './clientAddress.js';

/** Why a stats request is refused: HTTP status and plain-text reason. */
export interface StatsRefusal {
  status: 401 | 403;
  message: string;
}

/**
 * Decides whether `req` may read the server stats (counts across every tenant): with
 * `http.statsToken`, only with `Authorization: Bearer <token>`; without, only from a local
 * client (loopback, not forwarded by a proxy). Returns null when allowed.
 */
export function statsRefusal(req: IncomingMessage, config: HttpConfig): StatsRefusal | null {
  const token = config.statsToken;
  if (token !== undefined) {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match && sameSecret(match[1] as string, token)) return null;
    return { status: 401, message: 'stats require a bearer token' };
  }
  if (isLocalClient(req, config.trustProxy)) return null;
  return { status: 403, message: 'stats are served to local clients only; configure http.statsToken for remote access' };
}

/** Constant-time comparison (hashing first makes the lengths equal). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
