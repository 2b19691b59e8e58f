import * as z from 'zod';
import { RequestId, UserId } from './common.js';
import { CallId, ConversationName, Sdp } from './conversation.js';

/*
 * Peer-to-peer sessions between two users of one API key: 1-1 calls, screen-share calls, data
 * channels, file transfers and conversation invitations. The server relays these signals from one
 * contact to the other and understands none of them beyond their shape; the media and the data
 * flow directly between the two browsers. See docs/protocol.md § Peer sessions.
 */

/** What an invitation opens. */
export const PeerInviteKind = z.enum(['call', 'screenCall', 'dataChannel', 'file']);
export type PeerInviteKind = z.infer<typeof PeerInviteKind>;

/** apiRTC call types (`ReceivedCallInvitation.getCallType()`). */
export const PeerCallType = z.enum(['media', 'audio', 'videoOnly', 'screenSharing', 'none']);
export type PeerCallType = z.infer<typeof PeerCallType>;

/** The file a transfer offers: name and MIME type as the sender gave them, size in bytes. */
export const PeerFileInfo = z.object({
  name: z.string().max(1024),
  type: z.string().max(256),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
export type PeerFileInfo = z.infer<typeof PeerFileInfo>;

const Reason = z.string().max(256);

/** One signal of a peer session; `session` (the callId / invitation id) names the session. */
export const PeerSignalPayload = z.discriminatedUnion('kind', [
  /** Opens a session: the receiver gets an invitation (or an auto-accepted call / channel). */
  z.object({
    kind: z.literal('invite'),
    what: PeerInviteKind,
    callType: PeerCallType.optional(),
    file: PeerFileInfo.optional(),
    /**
     * Calls: the callee drops the ringing invitation (EXPIRED) after this long unanswered, since
     * a caller whose browser vanished never sends `cancel` (absent: the callee's default, 60 s).
     */
    expiresInMs: z.number().int().positive().max(86_400_000).optional(),
  }),
  /**
   * Invites to a conversation; the invitee joins it through the conversation requests. The
   * invitation lapses after `expiresInMs` on both sides (the inviter also says so: `expire`).
   */
  z.object({ kind: z.literal('conversationInvite'), conversation: ConversationName, expiresInMs: z.number().int().positive().max(86_400_000) }),
  z.object({ kind: z.literal('accept') }),
  z.object({ kind: z.literal('decline'), reason: Reason }),
  /** The inviter withdrew before an answer (or stopped a transfer). */
  z.object({ kind: z.literal('cancel') }),
  /** The invitation lapsed unanswered. */
  z.object({ kind: z.literal('expire') }),
  /** Either side ended an established session. */
  z.object({ kind: z.literal('hangup'), reason: Reason }),
  z.object({ kind: z.literal('offer'), sdp: Sdp }),
  z.object({ kind: z.literal('answer'), sdp: Sdp }),
  z.object({ kind: z.literal('candidate'), candidate: z.string().max(1024), sdpMid: z.string().max(64).optional() }),
]);
export type PeerSignalPayload = z.infer<typeof PeerSignalPayload>;

/** A signal for `to`; code 8 when `to` is not connected, 9 when it is the sender. */
export const PeerSignalRequest = z.object({
  type: z.literal('peer.signal'),
  id: RequestId,
  to: UserId,
  session: CallId,
  payload: PeerSignalPayload,
});
export type PeerSignalRequest = z.infer<typeof PeerSignalRequest>;

/** The signal as its target receives it. */
export const PeerSignalEvent = z.object({
  type: z.literal('peer.signal'),
  seq: z.number().int().positive(),
  from: UserId,
  session: CallId,
  payload: PeerSignalPayload,
});
export type PeerSignalEvent = z.infer<typeof PeerSignalEvent>;
