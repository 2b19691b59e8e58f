/** The apiRTC API version Parley implements; apps and libraries compare it. */
export const API_VERSION = '5.0.35';

/**
 * Parley's own SDK version (Parley addition, `apiRTC.parleyVersion`). Kept separate from
 * {@link API_VERSION} because apps compare `apiRTC.version` against apiRTC releases.
 */
export const PARLEY_VERSION = '0.1.0';
