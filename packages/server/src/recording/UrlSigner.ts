import { ExpiringSignature } from '../util/ExpiringSignature.js';

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
  readonly #signature: ExpiringSignature;

  constructor(secret: Buffer) {
    this.#signature = new ExpiringSignature(secret);
  }

  sign(media: SignedMedia): string {
    return this.#signature.sign([media.apiKey, media.mediaId, media.fileName], media.exp);
  }

  /** Whether `sig` signs `media` and `media.exp` is not past `nowMs`. */
  verify(media: SignedMedia, sig: string, nowMs: number = Date.now()): boolean {
    return this.#signature.verify([media.apiKey, media.mediaId, media.fileName], media.exp, sig, nowMs);
  }
}
