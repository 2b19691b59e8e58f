import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { bounded, utf8Length } from './bounded.js';
import { explainIssues } from './explain.js';

describe('bounded', () => {
  const Field = z.object({ content: bounded(z.unknown(), 20).optional() });

  it('accepts values whose JSON fits, counted in bytes', () => {
    expect(Field.safeParse({ content: 'x'.repeat(18) }).success).toBe(true); // "…" = 20 bytes
    expect(Field.safeParse({ content: { a: [1, 2, 3] } }).success).toBe(true);
    expect(Field.safeParse({}).success).toBe(true);
  });

  it('refuses values whose JSON is larger, with a message naming the field and the bound', () => {
    const result = Field.safeParse({ content: 'x'.repeat(19) });
    expect(result.success).toBe(false);
    if (!result.success) expect(explainIssues(result.error)).toBe('content: larger than 20 bytes as JSON');
    // 9 × "é" is 9 characters but 18 bytes (+ 2 quotes).
    expect(Field.safeParse({ content: 'é'.repeat(9) }).success).toBe(true);
    expect(Field.safeParse({ content: 'é'.repeat(10) }).success).toBe(false);
  });

  it('keeps the type and checks of the wrapped schema', () => {
    const Text = bounded(z.string().min(1), 10);
    expect(Text.safeParse('').success).toBe(false);
    expect(Text.safeParse(5).success).toBe(false);
    expect(Text.parse('abc')).toBe('abc');
  });

  it('fails instead of throwing on values that cannot be serialized', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(bounded(z.unknown(), 1000).safeParse(cyclic).success).toBe(false);
    expect(bounded(z.unknown(), 1000).safeParse(10n).success).toBe(false);
  });
});

describe('utf8Length', () => {
  it('matches the UTF-8 encoding', () => {
    for (const text of ['', 'abc', 'é', '€', '😀', 'a😀é€\u0000', '\ud800 lone surrogate']) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});
