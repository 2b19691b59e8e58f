import { describe, expect, it } from 'vitest';
import { typeAllowed } from './CloudMediaService.js';
import { UrlSigner } from './UrlSigner.js';

const KEY = Buffer.alloc(32, 1);

describe('UrlSigner', () => {
  it('accepts its own signature until the expiry, and nothing else', () => {
    let now = 1_000_000_000_000;
    const signer = new UrlSigner(KEY, 60, () => now);
    const url = new URL(`http://x${signer.path('media-id-0123456789')}`);
    const exp = url.searchParams.get('exp') ?? undefined;
    const sig = url.searchParams.get('sig') ?? undefined;
    expect(signer.verify('media-id-0123456789', exp, sig)).toBe(true);
    expect(signer.verify('media-id-0123456780', exp, sig)).toBe(false);
    expect(signer.verify('media-id-0123456789', String(Number(exp) + 1), sig)).toBe(false);
    expect(signer.verify('media-id-0123456789', exp, `${sig}x`)).toBe(false);
    expect(signer.verify('media-id-0123456789', undefined, sig)).toBe(false);
    expect(new UrlSigner(Buffer.alloc(32, 2), 60, () => now).verify('media-id-0123456789', exp, sig)).toBe(false);
    now += 61_000;
    expect(signer.verify('media-id-0123456789', exp, sig)).toBe(false);
  });
});

describe('typeAllowed', () => {
  it('matches exact types, families and any, ignoring parameters and case', () => {
    expect(typeAllowed('image/png', ['*/*'])).toBe(true);
    expect(typeAllowed('Image/PNG', ['image/png'])).toBe(true);
    expect(typeAllowed('text/plain; charset=utf-8', ['text/*'])).toBe(true);
    expect(typeAllowed('image/jpeg', ['image/png', 'text/*'])).toBe(false);
    expect(typeAllowed('application/pdf', ['text/*'])).toBe(false);
  });
});
