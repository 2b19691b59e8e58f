/** What the app needs to know before joining, read from the page URL. */
export interface MeetConfig {
  /** API key for `apiKey:<key>` registration. `?apiKey=`; defaults to the demo key. */
  apiKey: string;
  /** Room (conversation name). `?room=`; empty when absent (the pre-join screen proposes one). */
  room: string;
  /** Display name to prefill. `?name=`; empty when absent. */
  name: string;
  /** Moderated room (guests wait for the moderator). `?moderated=1`. */
  moderated: boolean;
}

export const DEMO_API_KEY = 'myDemoApiKey';
/** Longest display name or room name the form accepts. */
export const MAX_NAME_LENGTH = 48;
/** localStorage key of the remembered display name. */
export const NAME_STORAGE_KEY = 'parley-meet:name';

/** Trims and bounds a display name; empty when nothing usable is left. */
export function cleanName(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

/**
 * A room name as it goes into the URL and the conversation name: lower case, words joined by
 * dashes, only letters, digits, `-`, `_` and `.`; empty when nothing usable is left.
 */
export function cleanRoom(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[\s/\\:]+/g, '-')
    .replace(/[^a-z0-9._-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, MAX_NAME_LENGTH);
}

const ADJECTIVES = [
  'amber',
  'bold',
  'brisk',
  'calm',
  'clever',
  'cosy',
  'crisp',
  'eager',
  'gentle',
  'golden',
  'happy',
  'lively',
  'lucky',
  'mellow',
  'merry',
  'quiet',
  'rapid',
  'sunny',
  'swift',
  'witty',
];
const NOUNS = [
  'badger',
  'comet',
  'falcon',
  'fjord',
  'harbor',
  'heron',
  'lagoon',
  'maple',
  'meadow',
  'otter',
  'panda',
  'pebble',
  'river',
  'robin',
  'summit',
  'tiger',
  'tulip',
  'valley',
  'walrus',
  'willow',
];

/** A friendly random room name such as `sunny-otter-42`. `random` returns numbers in [0, 1). */
export function randomRoomName(random: () => number = Math.random): string {
  const pick = (list: string[]): string => list[Math.floor(random() * list.length) % list.length] as string;
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${10 + (Math.floor(random() * 90) % 90)}`;
}

/** Reads `?apiKey=`, `?room=`, `?name=` and `?moderated=1` from a query string (`location.search`). */
export function readConfig(search: string): MeetConfig {
  const params = new URLSearchParams(search);
  const apiKey = (params.get('apiKey') ?? '').trim();
  return {
    apiKey: apiKey === '' ? DEMO_API_KEY : apiKey,
    room: cleanRoom(params.get('room') ?? ''),
    name: cleanName(params.get('name') ?? ''),
    moderated: params.get('moderated') === '1',
  };
}

/** The link that opens `room` with the same API key (to invite people). */
export function inviteLink(base: string, config: Pick<MeetConfig, 'apiKey' | 'room'> & { moderated?: boolean }): string {
  const url = new URL(base);
  url.search = '';
  url.hash = '';
  if (config.apiKey !== DEMO_API_KEY) url.searchParams.set('apiKey', config.apiKey);
  url.searchParams.set('room', config.room);
  if (config.moderated === true) url.searchParams.set('moderated', '1');
  return url.toString();
}
