import * as z from 'zod';
import { bounded } from './bounded.js';
import { RequestId, UserId } from './common.js';
import { ConversationName } from './conversation.js';
import { Bounds } from './limits.js';

/*
 * Cloud media (apiRTC `pushData`): files uploaded to the server's storage for a conversation over
 * HTTP, announced to its participants. The socket gives the upload ticket and the list; the bytes
 * go over HTTP. See docs/protocol.md § Cloud media.
 */

/** Longest file name, in characters. */
export const MEDIA_NAME_MAX = 255;

const MediaId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
const MediaName = z.string().min(1).max(MEDIA_NAME_MAX);
/** A MIME type as browsers give it (`type/subtype`, parameters allowed). */
const MimeType = z
  .string()
  .max(255)
  .regex(/^[\w.+-]+\/[\w.+-]+(;.*)?$/);

/** Asks for a single-use ticket to upload one file of `size` bytes to `conversation`. */
export const CloudPushTicketRequest = z.object({
  type: z.literal('cloud.pushTicket'),
  id: RequestId,
  conversation: ConversationName,
  name: MediaName,
  mimeType: MimeType,
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  metadata: bounded(z.record(z.string(), z.unknown()), Bounds.messageMetadata).optional(),
});
/** The stored media of a conversation the session is in. */
export const CloudListRequest = z.object({
  type: z.literal('cloud.list'),
  id: RequestId,
  conversation: ConversationName,
});

/** Data of a successful `cloud.pushTicket`: where to `PUT` the bytes (path on the server), until when. */
export const CloudPushTicketResult = z.object({
  uploadPath: z.string(),
  /** ms since epoch. */
  expiresAt: z.number(),
});

/** One stored file. `url` is a path on the server, signed and expiring, that anyone holding it may `GET`. */
export const CloudMedia = z.object({
  id: MediaId,
  name: z.string(),
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
  from: UserId,
  /** Upload time, ms since epoch. */
  time: z.number(),
  url: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type CloudMedia = z.infer<typeof CloudMedia>;

/** Data of a successful `cloud.list`: oldest first. */
export const CloudListResult = z.object({ media: z.array(CloudMedia) });

/** A participant's upload completed (sent to the other participants). */
export const CloudNewMediaEvent = z.object({
  type: z.literal('cloud.newMedia'),
  seq: z.number().int().positive(),
  conversation: ConversationName,
  media: CloudMedia,
});

export const CloudRequests = [CloudPushTicketRequest, CloudListRequest] as const;
