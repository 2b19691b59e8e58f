/**
 * The SDK's console logger. One process-wide level, set by `apiRTC.setLogLevel` (docs/sdk-reference.md#log-levels):
 * 0 off, 1 error, 2 warn (default), 3 info, 4 debug, 5 trace.
 */

export const LogLevel = { OFF: 0, ERROR: 1, WARN: 2, INFO: 3, DEBUG: 4, TRACE: 5 } as const;

let level: number = LogLevel.WARN;

/**
 * Sets the console verbosity. Any integer >= 0 is accepted; values above 5 behave like 5
 * (apiRTC examples call `setLogLevel(10)`).
 * @throws the string `"Log level invalid"` for a non-integer or negative value (apiRTC throws a
 *   string, not an Error, and apps catch it as such).
 */
export function setLogLevel(value: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- apiRTC throws a string here, not an Error; apps catch it as such
    throw 'Log level invalid';
  }
  level = Math.min(value, LogLevel.TRACE);
}

/** Current level (for tests and for code that builds expensive debug output). */
export function getLogLevel(): number {
  return level;
}

const PREFIX = '[Parley]';

/** Logs through `console`, filtered by the current level. */
export const log = {
  error(...args: unknown[]): void {
    if (level >= LogLevel.ERROR) console.error(PREFIX, ...args);
  },
  warn(...args: unknown[]): void {
    if (level >= LogLevel.WARN) console.warn(PREFIX, ...args);
  },
  info(...args: unknown[]): void {
    if (level >= LogLevel.INFO) console.info(PREFIX, ...args);
  },
  debug(...args: unknown[]): void {
    if (level >= LogLevel.DEBUG) console.debug(PREFIX, ...args);
  },
  trace(...args: unknown[]): void {
    if (level >= LogLevel.TRACE) console.debug(PREFIX, ...args);
  },
};
