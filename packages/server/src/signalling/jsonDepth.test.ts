import { describe, expect, it } from 'vitest';
import { exceedsDepth } from './jsonDepth.js';

const nested = (depth: number, open = '[', close = ']'): string => open.repeat(depth) + close.repeat(depth);

describe('exceedsDepth', () => {
  it('counts arrays and objects alike, up to and beyond the limit', () => {
    expect(exceedsDepth(nested(32), 32)).toBe(false);
    expect(exceedsDepth(nested(33), 32)).toBe(true);
    expect(exceedsDepth('{"a":{"b":{"c":1}}}', 3)).toBe(false);
    expect(exceedsDepth('{"a":{"b":{"c":[1]}}}', 3)).toBe(true);
    expect(exceedsDepth('{"a":[{"b":1}]}', 3)).toBe(false);
  });

  it('measures depth, not the number of containers', () => {
    const wide = '[' + Array.from({ length: 1000 }, () => '{"x":[1,2]}').join(',') + ']';
    expect(exceedsDepth(wide, 3)).toBe(false);
  });

  it('ignores brackets inside strings, including after escaped quotes and backslashes', () => {
    expect(exceedsDepth(JSON.stringify({ s: '[[[[[[[[{{{{{{{{' }), 2)).toBe(false);
    expect(exceedsDepth(JSON.stringify({ s: 'say \\"[[[[[[[[[" and \\\\' }), 1)).toBe(false);
    expect(exceedsDepth(JSON.stringify({ s: 'a\\', t: '[[[[[' }), 1)).toBe(false);
    // An escaped quote does not end the string: the brackets after it are still inside.
    expect(exceedsDepth('{"s":"\\"[[[[[[["}', 1)).toBe(false);
    // A backslash escaping a backslash does end before the quote: the brackets are outside.
    expect(exceedsDepth('{"s":"\\\\",' + '"t":[[[[]]]]}', 2)).toBe(true);
  });

  it('answers a 20,000-deep frame in one pass without recursion', () => {
    expect(exceedsDepth('{"type":"ping","id":1,"x":' + nested(20_000) + '}', 32)).toBe(true);
  });

  it('stays safe on malformed text', () => {
    expect(exceedsDepth(']]]]{', 1)).toBe(false);
    expect(exceedsDepth('"unterminated [[[[', 1)).toBe(false);
    expect(exceedsDepth('', 1)).toBe(false);
  });
});
