import * as z from 'zod';
import { RequestId, UserId } from './common.js';
import { ConversationName } from './conversation.js';

/*
 * Chat history: the messages of a conversation and of a 1-1 thread, stored by the server and read
 * back a page at a time, newest page first. See docs/protocol.md § Chat history.
 */

/** Most messages one history request returns. */
export const HISTORY_PAGE_MAX = 200;
/** Messages a history request returns when it names no `count`. */
export const HISTORY_PAGE_DEFAULT = 50;

/** A stored message id: the `uuid` its receivers got; increasing in the order messages were accepted. */
const MessageId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * Where a page ends: `count` messages (default 50, at most 200) older than message `before`
 * (omitted: the newest) and, when given, sent before `beforeTime` (ms since epoch).
 */
const Page = {
  count: z.number().int().min(1).max(HISTORY_PAGE_MAX).optional(),
  before: MessageId.optional(),
  beforeTime: z.number().int().nonnegative().optional(),
};

/** Stored messages of a conversation the session is a participant of. */
export const ConvHistoryRequest = z.object({
  type: z.literal('conv.history'),
  id: RequestId,
  conversation: ConversationName,
  ...Page,
});

/** Stored 1-1 messages between the session's user and `contact` (both directions). */
export const ContactHistoryRequest = z.object({
  type: z.literal('contact.history'),
  id: RequestId,
  contact: UserId,
  ...Page,
});

/** One stored message. */
export const HistoryMessage = z.object({
  uuid: MessageId,
  from: UserId,
  /** 1-1 threads: who it was sent to. */
  to: UserId.optional(),
  content: z.string(),
  /** Server time of reception, ms since epoch. */
  time: z.number(),
  /** The sender's `username` or `nickname` user data when it was sent. */
  displayName: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type HistoryMessage = z.infer<typeof HistoryMessage>;

/** Data of a successful `conv.history` / `contact.history`: oldest first; `more` when older ones remain. */
export const HistoryResult = z.object({
  messages: z.array(HistoryMessage),
  more: z.boolean(),
});
export type HistoryResult = z.infer<typeof HistoryResult>;

export const HistoryRequests = [ConvHistoryRequest, ContactHistoryRequest] as const;
