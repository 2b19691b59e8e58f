import { describe, expect, it } from 'vitest';
import { PacketCache } from './PacketCache.js';

function rtp(seq: number, size = 100): Buffer {
  const b = Buffer.alloc(size, seq & 0xff);
  b[0] = 0x80;
  b[1] = 96;
  b.writeUInt16BE(seq, 2);
  return b;
}

describe('PacketCache', () => {
  it('returns a stored packet byte for byte', () => {
    const cache = new PacketCache(16);
    const p = rtp(42, 300);
    cache.store(p);
    const target = Buffer.alloc(1500);
    expect(cache.copyTo(42, target)).toBe(300);
    expect(target.subarray(0, 300)).toEqual(p);
  });

  it('forgets packets older than its capacity (ring buffer)', () => {
    const cache = new PacketCache(16);
    for (let seq = 0; seq < 40; seq++) cache.store(rtp(seq));
    expect(cache.has(23)).toBe(false);
    expect(cache.has(24)).toBe(true);
    expect(cache.has(39)).toBe(true);
    expect(cache.copyTo(10, Buffer.alloc(1500))).toBe(0);
  });

  it('works across the sequence-number wrap', () => {
    const cache = new PacketCache(64);
    for (let i = 65520; i < 65536 + 10; i++) cache.store(rtp(i & 0xffff));
    expect(cache.has(65535)).toBe(true);
    expect(cache.has(5)).toBe(true);
    expect(cache.has(65519)).toBe(false);
  });

  it('skips packets larger than a slot and reports too small targets', () => {
    const cache = new PacketCache(16, 200);
    cache.store(rtp(1, 201));
    expect(cache.has(1)).toBe(false);
    cache.store(rtp(2, 150));
    expect(cache.copyTo(2, Buffer.alloc(100))).toBe(0);
  });

  it('rejects a capacity that is not a power of two', () => {
    expect(() => new PacketCache(100)).toThrow(TypeError);
  });

  it('clear() forgets everything', () => {
    const cache = new PacketCache(16);
    cache.store(rtp(3));
    cache.clear();
    expect(cache.has(3)).toBe(false);
  });
});
