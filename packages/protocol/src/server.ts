import * as z from 'zod';
import { ContactInfo, RequestId, UserDataBag, UserId } from './common.js';
import { ConversationEvents } from './conversation.js';
import { ModerationEvents } from './moderation.js';
import { RecordingEvents } from './recording.js';
import { CloudNewMediaEvent } from './cloudMedia.js';
import { PeerSignalEvent } from './peer.js';
import { IceServer } from './ice.js';

/*
 * Messages the server sends. `answer` closes one request; every other message is an event
 * carrying a per-session `seq`, so a resuming client can ask for what it missed.
 */

const ErrorBody = z.object({ code: z.number().int().min(0).max(17), message: z.string() });

export const AnswerOk = z.object({
  type: z.literal('answer'),
  re: RequestId,
  ok: z.literal(true),
  data: z.unknown().optional(),
});
export const AnswerError = z.object({
  type: z.literal('answer'),
  re: RequestId,
  ok: z.literal(false),
  error: ErrorBody,
});
/** Answer to a request whose id could not be read: the client cannot correlate it. */
export const ProtocolErrorNotice = z.object({
  type: z.literal('protocolError'),
  error: ErrorBody,
});

/** Result data of a successful `register`. */
export const RegisterResult = z.object({
  userId: UserId,
  resumeToken: z.string(),
  resumeWindowMs: z.number().int().positive(),
  heartbeatMs: z.number().int().positive(),
  serverVersion: z.string(),
  /**
   * Anonymous users on keys without chosen ids: proof that the server assigned `userId` to this
   * client; sent back with `userId` on a later `register` it gets the same id again (unless taken).
   */
  idTicket: z.string().optional(),
  /** STUN/TURN servers for this session's media connections (absent: none configured). */
  iceServers: z.array(IceServer).max(8).optional(),
  /** When the TURN credentials in `iceServers` expire, ms since the epoch: ask `ice.servers` before. */
  iceServersExpireAt: z.number().int().positive().optional(),
});
export type RegisterResult = z.infer<typeof RegisterResult>;

/** Result data of a successful `resume`. */
export const ResumeResult = z.object({
  userId: UserId,
  resumeToken: z.string(),
  /** Number of events replayed after this answer. */
  replayed: z.number().int().nonnegative(),
  /** Fresh ICE servers and credentials (as in RegisterResult). */
  iceServers: z.array(IceServer).max(8).optional(),
  iceServersExpireAt: z.number().int().positive().optional(),
});
export type ResumeResult = z.infer<typeof ResumeResult>;

/** Result data of `contact.send`. */
export const ContactSendResult = z.object({ uuid: z.number().int().nonnegative() });
export type ContactSendResult = z.infer<typeof ContactSendResult>;

const Seq = z.number().int().positive();

/**
 * Presence diff for the groups this user watches, batched per server tick. Same three keys as
 * apiRTC's `contactListUpdate`; `leftGroup` carries ids only (the client knows the contact).
 * The members of the conversations the user joined come in `joinedConversation` /
 * `leftConversation` (present only when not empty): a conversation is not a presence group, so
 * a group of the same name is a different one.
 */
export const PresenceEvent = z.object({
  type: z.literal('presence'),
  seq: Seq,
  joinedGroup: z.record(z.string(), z.array(ContactInfo)),
  leftGroup: z.record(z.string(), z.array(UserId)),
  userDataChanged: z.array(ContactInfo),
  joinedConversation: z.record(z.string(), z.array(ContactInfo)).optional(),
  leftConversation: z.record(z.string(), z.array(UserId)).optional(),
});

export const ContactDataEvent = z.object({
  type: z.literal('contact.data'),
  seq: Seq,
  from: UserId,
  content: z.unknown(),
});
export const ContactMessageEvent = z.object({
  type: z.literal('contact.message'),
  seq: Seq,
  from: UserId,
  content: z.string(),
  uuid: z.number().int().nonnegative(),
  /** Server time of reception, ms since epoch. */
  time: z.number(),
});
export const ContactCustomEvent = z.object({
  type: z.literal('contact.customEvent'),
  seq: Seq,
  from: UserId,
  event: z.string(),
  content: z.unknown(),
});

/** Server events (everything but answers). */
export const ServerEvent = z.discriminatedUnion('type', [
  PresenceEvent,
  ContactDataEvent,
  ContactMessageEvent,
  ContactCustomEvent,
  ...ConversationEvents,
  ...ModerationEvents,
  ...RecordingEvents,
  CloudNewMediaEvent,
  PeerSignalEvent,
]);
export type ServerEvent = z.infer<typeof ServerEvent>;
export type ServerEventType = ServerEvent['type'];

/** Every message the server may send. */
export const ServerMessage = z.union([AnswerOk, AnswerError, ProtocolErrorNotice, ServerEvent]);
export type ServerMessage = z.infer<typeof ServerMessage>;

export type AnswerOk = z.infer<typeof AnswerOk>;
export type AnswerError = z.infer<typeof AnswerError>;
export type PresenceEvent = z.infer<typeof PresenceEvent>;
export type ContactDataEvent = z.infer<typeof ContactDataEvent>;
export type ContactMessageEvent = z.infer<typeof ContactMessageEvent>;
export type ContactCustomEvent = z.infer<typeof ContactCustomEvent>;
export { UserDataBag };

/** A server event as built before the session stamps its `seq`. */
export type UnsequencedEvent = ServerEvent extends infer E ? (E extends { seq: number } ? Omit<E, 'seq'> : never) : never;
