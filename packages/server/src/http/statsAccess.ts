import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLocalClient, type ProxyTrust } from './clientAddress.js';

/** Why a stats request is refused: HTTP status and plain-text reason. */
export interface StatsRefusal {
  status: 401 | 403;
  message: string;
}

/** Who may read the monitoring endpoints (`/api/v1/stats`, `/metrics`). */
export interface StatsAccess {
  /** `http.statsToken`: when set, required everywhere. */
  token: string | undefined;
  /** Proxies whose forwarded client address decides whether a request is local. */
  trust: ProxyTrust;
  /**
   * Served on the separate monitoring port: whoever reaches it may read without a token (the
   * port's address is the access rule), rather than local clients only.
   */
  dedicatedPort: boolean;
}

/**
 * Decides whether `req` may read the server stats and metrics (counts across every tenant):
 * with a token, only with `Authorization: Bearer <token>`; without, only from a local client
 * (loopback, not forwarded by an untrusted proxy), or from anyone on the dedicated monitoring
 * port. Returns null when allowed.
 */
export function statsRefusal(req: IncomingMessage, access: StatsAccess): StatsRefusal | null {
  const { token } = access;
  if (token !== undefined) {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match && sameSecret(match[1] as string, token)) return null;
    return { status: 401, message: 'stats require a bearer token' };
  }
  if (access.dedicatedPort || isLocalClient(req, access.trust)) return null;
  return {
    status: 403,
    message: 'stats are served to local clients only; configure http.statsToken or http.monitoringPort for remote access',
  };
}

/** Constant-time comparison (hashing first makes the lengths equal). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
