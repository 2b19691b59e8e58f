import { ExpiringSignature } from '../util/ExpiringSignature.js';

/**
 * Signs download paths of stored media: `/api/v1/media/<id>?exp=<s>&sig=<hmac>`. Whoever the
 * server gave such a URL to (a participant, through an event or a list) may fetch the file until
 * `exp`; nobody can make one up. The key is a server secret kept in the database, so URLs handed
 * out stay valid across restarts until they expire.
 */
export class UrlSigner {
  readonly #signature: ExpiringSignature;
  readonly #ttlSeconds: number;
  readonly #now: () => number;

  constructor(secret: Buffer, ttlSeconds: number, now: () => number = Date.now) {
    this.#signature = new ExpiringSignature(secret);
    this.#ttlSeconds = ttlSeconds;
    this.#now = now;
  }

  /** The signed download path of media `id`, valid for the configured lifetime. */
  path(id: string): string {
    const exp = Math.floor(this.#now() / 1000) + this.#ttlSeconds;
    return `/api/v1/media/${id}?exp=${exp}&sig=${this.#signature.sign([id], exp)}`;
  }

  /** Whether `sig` is the signature of `id` until `exp` and `exp` has not passed. */
  verify(id: string, exp: string | undefined, sig: string | undefined): boolean {
    if (exp === undefined || sig === undefined || !/^\d{1,12}$/.test(exp)) return false;
    return this.#signature.verify([id], Number(exp), sig, this.#now());
  }
}
