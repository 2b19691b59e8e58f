import type { HistoryResult } from '@parley/protocol';
import { ERROR_BAD_PARAMETER, ERROR_OTHER } from '../../constants.js';
import { apiError } from '../../util/errors.js';
import type { Contact, ContactMessage } from '../Contact.js';
import { historyError, pageOf } from '../conversation/ConversationChat.js';

/** `contact.loadMessageHistory` options (apiRTC names). */
export interface LoadMessageHistoryOptions {
  /** Messages to load (default 50, at most 200). */
  count?: number;
  /** Only messages sent before this time (ms since epoch, or a Date). */
  lastMessTimestamp?: number | Date;
  /** Only messages older than this one (its uuid): the oldest already loaded, to page back. */
  lastUUID?: number | string;
  /** Only the messages the contact sent to the local user. */
  onlyDestMessage?: boolean;
}

/** What loading needs from the Contact and its Session. */
export interface HistoryLoader {
  /** The contact whose thread with the local user is read. */
  contact: Contact;
  /** The local user's Contact. */
  self: Contact;
  /** Asks the server for a page of the thread. */
  fetch(page: { count?: number; before?: number; beforeTime?: number }): Promise<HistoryResult>;
}

const FAILED = 'loadMessageHistory() - could not load session history';

/**
 * Reads one page of the stored 1-1 thread and merges it into `history` (the Contact's
 * `getPreviousMessages()` list): messages already there (same uuid) are not repeated, and the list
 * stays in the order the server accepted the messages.
 */
export async function loadMessageHistory(loader: HistoryLoader | undefined, history: ContactMessage[], opts: LoadMessageHistoryOptions = {}): Promise<void> {
  const page: { count?: number; before?: number; beforeTime?: number } = pageOf('loadMessageHistory', opts.count, opts.lastUUID);
  if (opts.lastMessTimestamp !== undefined) {
    const t = opts.lastMessTimestamp instanceof Date ? opts.lastMessTimestamp.getTime() : opts.lastMessTimestamp;
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0)
      throw apiError(ERROR_BAD_PARAMETER, 'loadMessageHistory() - lastMessTimestamp must be a time');
    page.beforeTime = t;
  }
  if (!loader) throw apiError(ERROR_OTHER, FAILED);
  let result: HistoryResult;
  try {
    result = await loader.fetch(page);
  } catch (err) {
    throw historyError(FAILED, err);
  }
  const known = new Set(history.map((m) => m.uuid));
  const selfId = loader.self.getId();
  for (const m of result.messages) {
    if (known.has(m.uuid) || (opts.onlyDestMessage === true && m.from === selfId)) continue;
    history.push({
      content: m.content,
      sender: m.from === selfId ? loader.self : loader.contact,
      time: new Date(m.time),
      uuid: m.uuid,
    });
  }
  history.sort((a, b) => a.uuid - b.uuid);
}
