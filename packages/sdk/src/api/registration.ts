import { ERROR_APIRTC_INITIALISATION_FAILED, ERROR_INVALID_CREDENTIALS, ERROR_OTHER, ERROR_REGISTRATION_URI_INVALID } from '../constants.js';
import { ConnectError } from '../engine/ConnectError.js';
import { apiError, type ApiRTCError } from '../util/errors.js';
import { randomString } from '../util/ids.js';
import { isWebRTCCompliant, type PlatformInfo } from '../util/platform.js';
import { API_VERSION } from '../version.js';

/** `userAgent.register()` options (docs/sdk-reference.md#registerinformation). All optional. */
export interface RegisterInformation {
  cloudUrl?: string;
  id?: string;
  token?: string;
  groups?: string[];
  subscribeTo?: string[];
  userData?: object;
  nickname?: string;
  uri?: string;
  password?: string;
  cloudFetchRetries?: number;
  cloudFetchRetryDelay?: number;
  ccsConnectionRetryNb?: number;
  ccsConnectionRetryDelay?: number;
  contactDisconnectionDelay?: number;
  userAcceptOnIncomingDataCall?: boolean;
  userAcceptOnIncomingScreenSharingCall?: boolean;
  /** TURN server override: replaces the TURN URLs the server hands out (its credentials are kept). */
  turnServerAddress?: string;
  [p2Option: string]: unknown;
}

/**
 * Checks the identity URI (docs/sdk-reference.md#registration) and extracts the API key.
 * @returns `{apiKey}` for `apiKey:`/`apzkey:` uris, else the ApiRTCError `register()` rejects with.
 */
export function checkRegisterUri(uri: unknown, password: unknown): { apiKey: string } | ApiRTCError {
  if (typeof uri !== 'string' || uri === '') {
    return apiError(ERROR_REGISTRATION_URI_INVALID, 'register() - Cannot register UserAgent, no uri was specified');
  }
  const colon = uri.indexOf(':');
  const prefix = colon < 0 ? uri : uri.slice(0, colon);
  const rest = colon < 0 ? '' : uri.slice(colon + 1);
  switch (prefix) {
    case 'apiKey':
    case 'apzkey':
      return rest === '' ? apiError(ERROR_OTHER, 'register() - Wrong apiKey') : { apiKey: rest };
    case 'apirtc':
    case 'apizee':
      if (typeof password !== 'string' || password === '') {
        // apiRTC's message names apizee: for both prefixes.
        return apiError(ERROR_INVALID_CREDENTIALS, 'register() - No password was specified for apizee: UserAgent registration');
      }
      return cloudUnsupported();
    case 'token':
      return cloudUnsupported();
    default:
      return apiError(ERROR_REGISTRATION_URI_INVALID, `register() - prefix invalid used for uri :${prefix}`);
  }
}

function cloudUnsupported(): ApiRTCError {
  return apiError(ERROR_APIRTC_INITIALISATION_FAILED, 'register() - ApiRTC Initialization error : cloud user accounts are not supported by Parley');
}

/** A string list option: the given strings, or `fallback` when the option is not an array. */
export function groupList(value: unknown, fallback: string[]): string[] {
  if (!Array.isArray(value)) return [...fallback];
  return [...new Set(value.filter((g) => typeof g === 'string' || typeof g === 'number').map(String))];
}

/**
 * The user data published at registration (docs/sdk-reference.md#userdata): the keys already set before `register()`, then
 * `username` (the `nickname` option, else the username set earlier, else `guest-` + 13 random
 * characters), `userConfId` (username + timestamp) and the browser descriptors, then
 * `RegisterInformation.userData` merged last.
 */
export function buildRegisterUserData(
  existing: Record<string, unknown>,
  options: Pick<RegisterInformation, 'nickname' | 'userData'>,
  platform: PlatformInfo,
  now: number = Date.now(),
): Record<string, unknown> {
  const previous = existing['username'];
  const username =
    typeof options.nickname === 'string' && options.nickname !== ''
      ? options.nickname
      : typeof previous === 'string' && previous !== ''
        ? previous
        : `guest-${randomString(13)}`;
  const extra = options.userData && typeof options.userData === 'object' ? options.userData : {};
  return {
    ...existing,
    username,
    userConfId: `${username}${now}`,
    webRtcCompliant: isWebRTCCompliant(),
    dtlsCompliant: isWebRTCCompliant(),
    osName: platform.osName,
    browser: platform.browser,
    browser_version: platform.browser_version,
    browser_major_version: platform.browser_major_version,
    deviceType: platform.deviceType,
    deviceVendor: '',
    apiRTCVersion: API_VERSION,
    cpuArchitecture: '',
    engineName: platform.engineName,
    engineVersion: platform.engineVersion,
    ...extra,
  };
}

/** A non-negative finite number option, else undefined (the default applies). */
export function numberOption(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Maps an engine connection failure to `register()`'s rejection (docs/sdk-reference.md#errors). */
export function registerError(err: unknown): unknown {
  if (!(err instanceof ConnectError)) return apiError(ERROR_APIRTC_INITIALISATION_FAILED, `register() - ApiRTC Initialization error : ${String(err)}`, err);
  switch (err.kind) {
    case 'lookup':
      return apiError(ERROR_OTHER, 'register() - Could not get preferred CCS', err);
    case 'aborted':
      return apiError(ERROR_OTHER, 'register() - registration cancelled by unregister()', err);
    default:
      return apiError(ERROR_APIRTC_INITIALISATION_FAILED, `register() - ApiRTC Initialization error : ${err.message}`, err);
  }
}
