import * as z from 'zod';
import { bounded } from './bounded.js';
import { Bounds } from './limits.js';
import { GroupList, GroupName, RequestId, UserDataInput, UserId } from './common.js';
import { ConversationRequests } from './conversation.js';
import { ModerationRequests } from './moderation.js';
import { RecordingRequests } from './recording.js';
import { HistoryRequests } from './history.js';
import { CloudRequests } from './cloudMedia.js';
import { PeerSignalRequest } from './peer.js';
import { IceServersRequest } from './ice.js';

/*
 * Messages the SDK sends to the server. Every one is a request: it carries an `id` and gets
 * exactly one answer (`type: 'answer'`, `re: id`).
 */

/** First message on a socket: authenticate and open a new session. */
export const RegisterRequest = z.object({
  type: z.literal('register'),
  id: RequestId,
  apiKey: z.string().min(1).max(Bounds.apiKey),
  /** Requested user id (anonymous) or the id the token authorises (identified). */
  userId: UserId.optional(),
  /** JWT for identified users. */
  token: z.string().min(1).max(Bounds.token).optional(),
  /**
   * Anonymous users: the `idTicket` of an earlier registration, to get its assigned `userId` back
   * after the server dropped the session (keys without chosen ids ignore a bare `userId`).
   */
  idTicket: z.string().min(1).max(128).optional(),
  groups: GroupList,
  subscribeTo: GroupList,
  userData: UserDataInput,
});

/** First message on a socket after a drop: reattach to a session within the resume window. */
export const ResumeRequest = z.object({
  type: z.literal('resume'),
  id: RequestId,
  resumeToken: z.string().min(1).max(256),
  /** Highest event `seq` the client processed; the server replays what came after. */
  lastSeq: z.number().int().nonnegative(),
});

export const UnregisterRequest = z.object({
  type: z.literal('unregister'),
  id: RequestId,
});

export const PingRequest = z.object({
  type: z.literal('ping'),
  id: RequestId,
});

/** Join (and watch) a presence group. */
export const GroupJoinRequest = z.object({ type: z.literal('group.join'), id: RequestId, group: GroupName });
/** Leave (and stop watching) a presence group. */
export const GroupLeaveRequest = z.object({ type: z.literal('group.leave'), id: RequestId, group: GroupName });
/** Watch a presence group without being visible in it. */
export const GroupSubscribeRequest = z.object({
  type: z.literal('group.subscribe'),
  id: RequestId,
  group: GroupName,
});
export const GroupUnsubscribeRequest = z.object({
  type: z.literal('group.unsubscribe'),
  id: RequestId,
  group: GroupName,
});

/** Replace the user's published user data. */
export const UserDataSetRequest = z.object({
  type: z.literal('userData.set'),
  id: RequestId,
  userData: UserDataInput,
});

/** One-to-one delivery: `Contact.sendData`, `sendMessage`, `sendCustomEvent`. */
export const ContactSendRequest = z.discriminatedUnion('kind', [
  z.object({
    type: z.literal('contact.send'),
    id: RequestId,
    to: UserId,
    kind: z.literal('data'),
    content: bounded(z.unknown(), Bounds.dataContent),
  }),
  z.object({
    type: z.literal('contact.send'),
    id: RequestId,
    to: UserId,
    kind: z.literal('message'),
    content: bounded(z.string().min(1), Bounds.messageContent),
  }),
  z.object({
    type: z.literal('contact.send'),
    id: RequestId,
    to: UserId,
    kind: z.literal('customEvent'),
    event: z.string().min(1).max(Bounds.eventName),
    content: bounded(z.unknown(), Bounds.dataContent),
  }),
]);

/** Requests valid before a session exists on the socket. */
export const HandshakeRequest = z.discriminatedUnion('type', [RegisterRequest, ResumeRequest]);
export type HandshakeRequest = z.infer<typeof HandshakeRequest>;

/** Requests valid once a session is attached to the socket. */
export const SessionRequest = z.union([
  UnregisterRequest,
  PingRequest,
  GroupJoinRequest,
  GroupLeaveRequest,
  GroupSubscribeRequest,
  GroupUnsubscribeRequest,
  UserDataSetRequest,
  ContactSendRequest,
  PeerSignalRequest,
  IceServersRequest,
  ...ConversationRequests,
  ...ModerationRequests,
  ...RecordingRequests,
  ...HistoryRequests,
  ...CloudRequests,
]);
export type SessionRequest = z.infer<typeof SessionRequest>;

/** Every message a client may send. */
export const ClientMessage = z.union([HandshakeRequest, SessionRequest]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['type'];

export type RegisterRequest = z.infer<typeof RegisterRequest>;
export type ResumeRequest = z.infer<typeof ResumeRequest>;
export type ContactSendRequest = z.infer<typeof ContactSendRequest>;
