import { describe, expect, it } from 'vitest';
import { UrlSigner } from './UrlSigner.js';

describe('UrlSigner', () => {
  const signer = new UrlSigner(Buffer.alloc(32, 7));
  const media = { apiKey: 'k', mediaId: '123', fileName: 'a-123-composite.mp4', exp: 2_000_000_000 };

  it('accepts its own signature until the expiry', () => {
    const sig = signer.sign(media);
    expect(signer.verify(media, sig, 1_000_000_000_000)).toBe(true);
    expect(signer.verify(media, sig, 2_000_000_001_000)).toBe(false);
  });

  it('refuses another key, recording, file, expiry or secret', () => {
    const sig = signer.sign(media);
    expect(signer.verify({ ...media, apiKey: 'other' }, sig, 0)).toBe(false);
    expect(signer.verify({ ...media, mediaId: '124' }, sig, 0)).toBe(false);
    expect(signer.verify({ ...media, fileName: 'b.mp4' }, sig, 0)).toBe(false);
    expect(signer.verify({ ...media, exp: media.exp + 1 }, sig, 0)).toBe(false);
    expect(new UrlSigner(Buffer.alloc(32, 8)).verify(media, sig, 0)).toBe(false);
    expect(signer.verify(media, '', 0)).toBe(false);
  });
});
