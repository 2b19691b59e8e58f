import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signs download paths of stored media: `/api/v1/media/<id>?exp=<s>&sig=<hmac>`. Whoever the
 * server gave such a URL to (a participant, through an event or a list) may fetch the file until
 * `exp`; nobody can make one up. The key is random per process: a restart voids the URLs, and
 * participants ask for the list again.
 */
export class UrlSigner {
  readonly #key = randomBytes(32);
  readonly #ttlSeconds: number;
  readonly #now: () => number;

  constructor(ttlSeconds: number, now: () => number = Date.now) {
    this.#ttlSeconds = ttlSeconds;
    this.#now = now;
  }

  /** The signed download path of media `id`, valid for the configured lifetime. */
  path(id: string): string {
    const exp = Math.floor(this.#now() / 1000) + this.#ttlSeconds;
    return `/api/v1/media/${id}?exp=${exp}&sig=${this.#mac(id, exp)}`;
  }

  /** Whether `sig` is the signature of `id` until `exp` and `exp` has not passed. */
  verify(id: string, exp: string | undefined, sig: string | undefined): boolean {
    if (exp === undefined || sig === undefined || !/^\d{1,12}$/.test(exp)) return false;
    const expiry = Number(exp);
    if (expiry * 1000 < this.#now()) return false;
    const expected = Buffer.from(this.#mac(id, expiry));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #mac(id: string, exp: number): string {
    return createHmac('sha256', this.#key).update(`${id}\n${exp}`).digest('base64url');
  }
}
