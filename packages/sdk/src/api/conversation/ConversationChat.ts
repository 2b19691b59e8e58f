import type { HistoryMessage, HistoryResult } from '@parley/protocol';
import { ERROR_BAD_PARAMETER, ERROR_OTHER } from '../../constants.js';
import { RequestError } from '../../engine/RequestError.js';
import { apiError, type ApiRTCError } from '../../util/errors.js';
import type { Contact } from '../Contact.js';
import type { ConversationContext } from './context.js';

/*
 * Persisted conversation chat (docs/sdk-reference.md#chat-history): `fetchMessageHistory` reads
 * the server's stored messages of a conversation a page at a time.
 */

/** One item of `conversation.fetchMessageHistory()` (apiRTC's ConversationMessageHistory, plus `uuid`). */
export interface ConversationMessageHistory {
  content: string;
  sender: Contact;
  sender_id: string;
  /** Server time of reception, ms since epoch. */
  timestamp: number;
  date: Date;
  /** The sender's username or nickname when it was sent, else its id. */
  display_name: string;
  metadata?: object;
  /** The uuid the message's receivers got; give it as `before` to fetch the page before it. */
  uuid: number;
}

/**
 * `fetchMessageHistory` options. `token` is apiRTC's (cloud authentication; unused by Parley);
 * `count` and `before` are Parley's paging: `count` messages (default 50, at most 200) older than
 * message `before` (a uuid), the newest when omitted.
 */
export interface FetchMessageHistoryOptions {
  token?: string;
  count?: number;
  before?: number;
}

/** Checks the paging options both history readers share; throws 9 with `method`'s name. */
export function pageOf(method: string, count: unknown, before: unknown): { count?: number; before?: number } {
  const page: { count?: number; before?: number } = {};
  if (count !== undefined) {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 200) {
      throw apiError(ERROR_BAD_PARAMETER, `${method}() - count must be an integer from 1 to 200`);
    }
    page.count = count;
  }
  if (before !== undefined && before !== null) {
    const n = typeof before === 'string' ? Number(before) : before;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw apiError(ERROR_BAD_PARAMETER, `${method}() - before must be a message uuid`);
    page.before = n;
  }
  return page;
}

/** A failed history request as apiRTC reports it: the server's code and reason after `prefix`. */
export function historyError(prefix: string, err: unknown): ApiRTCError {
  if (err instanceof RequestError && err.kind === 'answer') return apiError(err.code, `${prefix}: ${err.message}`, err);
  return apiError(ERROR_OTHER, prefix, err);
}

/** `conversation.fetchMessageHistory`: one page of the stored messages, oldest first. */
export async function fetchMessageHistory(
  ctx: ConversationContext | undefined,
  name: string,
  options: FetchMessageHistoryOptions = {},
): Promise<ConversationMessageHistory[]> {
  const page = pageOf('fetchMessageHistory', options.count, options.before);
  if (!ctx) throw apiError(ERROR_OTHER, 'fetchMessageHistory() - could not fetch history');
  let result: HistoryResult | undefined;
  try {
    result = await ctx.request({ type: 'conv.history', conversation: name, ...page });
  } catch (err) {
    throw historyError('fetchMessageHistory() - could not fetch history', err);
  }
  return (result?.messages ?? []).map((m) => toHistoryItem(ctx, m));
}

function toHistoryItem(ctx: ConversationContext, m: HistoryMessage): ConversationMessageHistory {
  return {
    content: m.content,
    sender: ctx.contact(m.from),
    sender_id: m.from,
    timestamp: m.time,
    date: new Date(m.time),
    display_name: m.displayName ?? m.from,
    ...(m.metadata ? { metadata: m.metadata } : {}),
    uuid: m.uuid,
  };
}
