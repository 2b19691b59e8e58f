import { afterEach, describe, expect, test } from 'vitest';
import { getLogLevel, setLogLevel } from './Logger.js';

describe('setLogLevel', () => {
  afterEach(() => setLogLevel(2));

  test('defaults to warn (2)', () => {
    expect(getLogLevel()).toBe(2);
  });

  test('accepts integers >= 0; above 5 behaves like 5', () => {
    setLogLevel(0);
    expect(getLogLevel()).toBe(0);
    setLogLevel(10);
    expect(getLogLevel()).toBe(5);
  });

  test.each([-1, 1.5, Number.NaN, '3', null, undefined, true])('throws the string "Log level invalid" for %s', (value) => {
    let thrown: unknown;
    try {
      setLogLevel(value as number);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe('Log level invalid');
  });
});
