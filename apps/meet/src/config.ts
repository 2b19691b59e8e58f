/** What the app needs to know before joining, read from the page URL. */
export interface MeetConfig {
  /** API key for `apiKey:<key>` registration. `?apiKey=`; defaults to the demo key. */
  apiKey: string;
  /** Presence group of the lobby. `?group=`; defaults to `default`. */
  group: string;
  /** Display name to prefill. `?name=`; empty when absent. */
  name: string;
}

export const DEMO_API_KEY = 'myDemoApiKey';
export const DEFAULT_GROUP = 'default';
/** Longest display name or group name the form accepts. */
export const MAX_NAME_LENGTH = 48;

/** Trims and bounds a display name; empty when nothing usable is left. */
export function cleanName(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

/** Trims and bounds a group name; the default group when empty. */
export function cleanGroup(raw: string): string {
  const group = raw.trim().slice(0, MAX_NAME_LENGTH);
  return group === '' ? DEFAULT_GROUP : group;
}

/** Reads `?apiKey=`, `?group=` and `?name=` from a query string (`location.search`). */
export function readConfig(search: string): MeetConfig {
  const params = new URLSearchParams(search);
  const apiKey = (params.get('apiKey') ?? '').trim();
  return {
    apiKey: apiKey === '' ? DEMO_API_KEY : apiKey,
    group: cleanGroup(params.get('group') ?? ''),
    name: cleanName(params.get('name') ?? ''),
  };
}

/** A link that opens the lobby of `group` with the same API key (for inviting people). */
export function inviteLink(base: string, config: Pick<MeetConfig, 'apiKey' | 'group'>): string {
  const url = new URL(base);
  url.search = '';
  url.hash = '';
  if (config.apiKey !== DEMO_API_KEY) url.searchParams.set('apiKey', config.apiKey);
  if (config.group !== DEFAULT_GROUP) url.searchParams.set('group', config.group);
  return url.toString();
}
