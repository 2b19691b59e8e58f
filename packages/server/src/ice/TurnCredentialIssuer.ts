import { createHmac } from 'node:crypto';
import type { IceServer, IceServersResult } from '@parley/protocol';

/** The `ice` section of the configuration, as {@link TurnCredentialIssuer} needs it. */
export interface IceSettings {
  /** STUN URLs handed out as they are (`stun:host:port`). */
  readonly stunUrls: readonly string[];
  /** TURN URLs (`turn:host:3478?transport=udp`, `…?transport=tcp`, `turns:host:5349`), one credential for all. */
  readonly turnUrls: readonly string[];
  /** coturn's `static-auth-secret`; required when `turnUrls` is not empty. */
  readonly turnSecret?: string | undefined;
  /** Lifetime of a TURN credential, seconds. */
  readonly credentialTtlS: number;
}

/**
 * Hands sessions their ICE servers, with TURN credentials of coturn's `use-auth-secret` scheme
 * (the "TURN REST API" draft, draft-uberti-behave-turn-rest): username `<expiry unix seconds>:<user
 * id>`, password base64(HMAC-SHA1(secret, username)). coturn recomputes the password from the
 * username with the shared secret and refuses it once the expiry has passed, so no state is
 * shared between Parley and coturn and a leaked credential is worth nothing after its lifetime.
 */
export class TurnCredentialIssuer {
  readonly #settings: IceSettings;

  constructor(settings: IceSettings) {
    if (settings.turnUrls.length > 0 && !settings.turnSecret) throw new Error('TURN URLs need a shared secret (ice.turnSecret)');
    this.#settings = settings;
  }

  /** Whether any ICE server is configured (else sessions are told none). */
  get configured(): boolean {
    return this.#settings.stunUrls.length > 0 || this.#settings.turnUrls.length > 0;
  }

  /** The ICE servers for `userId` at `nowMs`; `expiresAt` only when TURN credentials are included. */
  issue(userId: string, nowMs: number = Date.now()): IceServersResult {
    const { stunUrls, turnUrls, turnSecret, credentialTtlS } = this.#settings;
    const iceServers: IceServer[] = [];
    if (stunUrls.length > 0) iceServers.push({ urls: [...stunUrls] });
    if (turnUrls.length === 0 || turnSecret === undefined) return { iceServers };
    const expiry = Math.floor(nowMs / 1000) + credentialTtlS;
    const username = `${expiry}:${userId}`;
    iceServers.push({ urls: [...turnUrls], username, credential: turnCredential(turnSecret, username) });
    return { iceServers, expiresAt: expiry * 1000 };
  }
}

/** coturn's REST-scheme password for `username`: base64(HMAC-SHA1(secret, username)). */
export function turnCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}
