import { ERROR_OTHER } from '../constants.js';
import { apiError, type ApiRTCError } from './errors.js';
import { log } from './Logger.js';

/**
 * The one failure of every apiRTC member Parley does not implement yet (docs/sdk-reference.md,
 * "Members not supported yet"): code 0 (ERROR_OTHER, apiRTC's generic failure, which apps already
 * handle) and the message `<method>() - not supported by Parley yet`, so an app can tell a missing
 * feature from a real refusal such as "not joined".
 */
export function notSupportedError(method: string): ApiRTCError {
  return apiError(ERROR_OTHER, `${method}() - not supported by Parley yet`);
}

/** For members returning a promise: logs a warning and rejects {@link notSupportedError}. */
export function rejectNotSupported<T = never>(method: string): Promise<T> {
  const err = notSupportedError(method);
  log.warn(err.error.message);
  return Promise.reject(err);
}

/**
 * For synchronous members: logs a warning and throws {@link notSupportedError}. A silent no-op
 * would let an app believe the feature is on; a null return would look like "nothing there".
 */
export function throwNotSupported(method: string): never {
  const err = notSupportedError(method);
  log.warn(err.error.message);
  throw err;
}
