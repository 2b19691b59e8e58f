import { ERROR_OTHER } from '../constants.js';
import { apiError } from './errors.js';
import { log } from './Logger.js';

/** Logs that a P2 feature is not supported by Parley (the member exists for compatibility). */
export function notSupported(method: string): void {
  log.warn(`${method}() is not supported by Parley`);
}

/** Same, for methods returning a promise: rejects code 0 `<method>() - not supported by Parley`. */
export function rejectNotSupported<T = never>(method: string): Promise<T> {
  notSupported(method);
  return Promise.reject(apiError(ERROR_OTHER, `${method}() - not supported by Parley`));
}
