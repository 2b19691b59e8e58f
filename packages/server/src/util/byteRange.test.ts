import { describe, expect, it } from 'vitest';
import { parseByteRange } from './byteRange.js';

describe('parseByteRange', () => {
  it('serves the whole file without a usable header', () => {
    expect(parseByteRange(undefined, 100)).toEqual({ kind: 'whole' });
    expect(parseByteRange('items=0-5', 100)).toEqual({ kind: 'whole' });
    expect(parseByteRange('bytes=0-5,10-20', 100)).toEqual({ kind: 'whole' });
    expect(parseByteRange('bytes=-', 100)).toEqual({ kind: 'whole' });
    expect(parseByteRange('bytes=9-3', 100)).toEqual({ kind: 'whole' });
    expect(parseByteRange('bytes=abc', 100)).toEqual({ kind: 'whole' });
  });

  it('reads closed, open and suffix ranges, clipping the end to the file', () => {
    expect(parseByteRange('bytes=0-0', 100)).toEqual({ kind: 'partial', start: 0, end: 0 });
    expect(parseByteRange('bytes=10-19', 100)).toEqual({ kind: 'partial', start: 10, end: 19 });
    expect(parseByteRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseByteRange('bytes=50-1000', 100)).toEqual({ kind: 'partial', start: 50, end: 99 });
    expect(parseByteRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseByteRange('bytes=-500', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseByteRange(' bytes = 5 - 6 ', 100)).toEqual({ kind: 'partial', start: 5, end: 6 });
  });

  it('answers 416 to ranges outside the file', () => {
    expect(parseByteRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=200-300', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('does not overflow on huge numbers', () => {
    expect(parseByteRange('bytes=99999999999999999999-', 100)).toEqual({ kind: 'whole' });
  });
});
