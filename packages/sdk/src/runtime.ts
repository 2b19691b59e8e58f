import type { UserAgent } from './api/UserAgent.js';

/** `apiRTC.session`: apiRTC's internal session object, of which apps only read these fields (docs/sdk-reference.md#globals-and-browser-description). */
export interface LegacySession {
  /** Id of the registered user; null before registration. */
  apiCCId: string | null;
  /** Mirror of `session.getPresenceGroup()`. */
  presenceGroup: string[];
  /** Mirror of `session.getSubscribedPresenceGroup()`. */
  subscribeToPresenceGroup: string[];
}

/**
 * Page-wide SDK state behind namespace properties. Kept in its own module so that classes can
 * update it without importing the namespace (which imports every class).
 */
export const runtime: { userAgentInstance: UserAgent | undefined; readonly legacySession: LegacySession } = {
  userAgentInstance: undefined,
  legacySession: { apiCCId: null, presenceGroup: [], subscribeToPresenceGroup: [] },
};

/** Rewrites an array in place (apps may hold the `apiRTC.session` arrays). */
export function mirrorInto(target: string[], values: readonly string[]): void {
  target.splice(0, target.length, ...values);
}
