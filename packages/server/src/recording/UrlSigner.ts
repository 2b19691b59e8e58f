import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a download URL grants: one file of one recording of one API key, until `exp`. */
export interface SignedMedia {
  apiKey: string;
  mediaId: string;
  fileName: string;
  /** Expiry, seconds since epoch. */
  exp: number;
}

/**
 * Signs and checks recording download URLs with HMAC-SHA256 and a server secret. The URL is
 * handed only to participants of the recorded conversation (same API key), works as a plain link
 * (`<a href>`, `<video src>`) and cannot be forged or extended.
 */
export class UrlSigner {
  readonly #secret: Buffer;

  constructor(secret: Buffer) {
    this.#secret = secret;
  }

  sign(media: SignedMedia): string {
    return createHmac('sha256', this.#secret).update(`${media.apiKey}\n${media.mediaId}\n${media.fileName}\n${media.exp}`).digest('base64url');
  }

  /** Whether `sig` signs `media` and `media.exp` is not past `nowMs`. */
  verify(media: SignedMedia, sig: string, nowMs: number = Date.now()): boolean {
    if (!Number.isSafeInteger(media.exp) || media.exp * 1000 < nowMs) return false;
    const expected = Buffer.from(this.sign(media));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
