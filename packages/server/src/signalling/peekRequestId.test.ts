import { describe, expect, it } from 'vitest';
import { peekRequestId } from './peekRequestId.js';

describe('peekRequestId', () => {
  it('finds a top-level id wherever it is in the prefix', () => {
    expect(peekRequestId('{"type":"contact.send","id":42,"content":"' + 'x'.repeat(100_000))).toBe(42);
    expect(peekRequestId('{ "id" : 7 , "type":"ping"}')).toBe(7);
  });

  it('ignores nested ids and ids inside strings', () => {
    expect(peekRequestId('{"userData":{"id":5},"note":"\\"id\\":6","id":9}')).toBe(9);
    expect(peekRequestId('{"userData":{"id":5},"content":"' + 'x'.repeat(10_000))).toBeUndefined();
  });

  it('returns undefined for non-integer ids and garbage', () => {
    expect(peekRequestId('{"id":"3"}')).toBeUndefined();
    expect(peekRequestId('{"id":1.5}')).toBeUndefined();
    expect(peekRequestId('not json at all')).toBeUndefined();
  });
});
