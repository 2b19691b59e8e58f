import * as z from 'zod';
import { ContactInfo, RequestId, UserId } from './common.js';
export { ConversationRole, JoinModeration } from './joinModeration.js';
import { ConversationMode, ConversationName } from './conversation.js';

/*
 * Moderated conversations: the waiting room, the moderator's decisions and ejection.
 * See docs/protocol.md § Moderation. A waiting guest is not a participant: it receives nothing
 * of the conversation until a moderator lets it in.
 */

/** Why a moderator answers: apiRTC's `reason` option of denyEntry / eject. */
const Reason = z.string().max(1024);

// ---- client → server requests ---------------------------------------------------------------

/** Moderator lets a waiting user in: the server joins it to the conversation. */
export const ConvAllowEntryRequest = z.object({
  type: z.literal('conv.allowEntry'),
  id: RequestId,
  conversation: ConversationName,
  userId: UserId,
});
/** Moderator refuses a waiting user: it leaves the waiting room. */
export const ConvDenyEntryRequest = z.object({
  type: z.literal('conv.denyEntry'),
  id: RequestId,
  conversation: ConversationName,
  userId: UserId,
  reason: Reason.optional(),
});
/** Moderator removes a participant; answered once it is out. */
export const ConvEjectRequest = z.object({
  type: z.literal('conv.eject'),
  id: RequestId,
  conversation: ConversationName,
  userId: UserId,
  reason: Reason.optional(),
});

export const ModerationRequests = [ConvAllowEntryRequest, ConvDenyEntryRequest, ConvEjectRequest] as const;

// ---- server → client events -----------------------------------------------------------------

const Seq = z.number().int().positive();

/** To the moderators present: a user entered or left the waiting room. */
export const ConvWaitingRoomEvent = z.object({
  type: z.literal('conv.waitingRoom'),
  seq: Seq,
  conversation: ConversationName,
  change: z.enum(['joined', 'left']),
  contact: ContactInfo,
});
/**
 * To a waiting user: the decision. `allowed` means it is now a participant (as after a
 * `conv.join` answer with this mode; the stream list follows as `conv.stream` events).
 */
export const ConvEntryEvent = z.object({
  type: z.literal('conv.entry'),
  seq: Seq,
  conversation: ConversationName,
  decision: z.enum(['allowed', 'denied']),
  /** Present when allowed. */
  mode: ConversationMode.optional(),
  meshOnly: z.boolean().optional(),
  /** The moderator's reason, when denied with one. */
  reason: z.string().optional(),
});
/** To the waiting users: a moderator joined the conversation. */
export const ConvModeratorEvent = z.object({
  type: z.literal('conv.moderator'),
  seq: Seq,
  conversation: ConversationName,
  moderator: ContactInfo,
});
/** To every participant, the ejected one included (which is then no longer a participant). */
export const ConvEjectedEvent = z.object({
  type: z.literal('conv.ejected'),
  seq: Seq,
  conversation: ConversationName,
  userId: UserId,
  reason: z.string().optional(),
});

export const ModerationEvents = [ConvWaitingRoomEvent, ConvEntryEvent, ConvModeratorEvent, ConvEjectedEvent] as const;

export type ConvWaitingRoomEvent = z.infer<typeof ConvWaitingRoomEvent>;
export type ConvEntryEvent = z.infer<typeof ConvEntryEvent>;
export type ConvEjectedEvent = z.infer<typeof ConvEjectedEvent>;
