import * as z from 'zod';
import { RequestId } from './common.js';
import { ConversationName } from './conversation.js';

/*
 * Composite recording of a conversation (docs/protocol.md § Recording). Kept apart from
 * conversation.ts: the requests name a joined conversation like the others, the events carry
 * the apiRTC RecordingInfo the SDK hands to apps unchanged.
 */

const Label = z.string().min(1).max(128);

/** `conversation.startRecording(options)` as sent; unknown apiRTC options are dropped by the SDK. */
export const ConvStartRecordingRequest = z.object({
  type: z.literal('conv.startRecording'),
  id: RequestId,
  conversation: ConversationName,
  audioOnly: z.boolean().default(false),
  videoOnly: z.boolean().default(false),
  /** apiRTC `mode`; anything but the three names is recorded as `complete`. */
  mode: z.string().max(32).optional(),
  labelEnabled: z.boolean().default(false),
  labels: z.array(Label).max(32).optional(),
  /** apiRTC `customIdInFilename`: ends the file name (letters, digits, `_` and `-` only). */
  customIdInFilename: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});
export const ConvStopRecordingRequest = z.object({
  type: z.literal('conv.stopRecording'),
  id: RequestId,
  conversation: ConversationName,
});

export const RecordingRequests = [ConvStartRecordingRequest, ConvStopRecordingRequest] as const;

/** apiRTC RecordingInfo: what every participant learns about the composite recording. */
export const RecordingInfo = z.object({
  roomName: z.string(),
  callId: z.literal('COMPOSITE'),
  recordType: z.literal('composite'),
  convId: z.string(),
  mediaId: z.string(),
  /** Signed download URL on the Parley server (valid once `available`). */
  mediaURL: z.string(),
  recordedFileName: z.string(),
  audioOnly: z.boolean(),
  videoOnly: z.boolean(),
  mode: z.string(),
  labelEnabled: z.boolean(),
  labels: z.array(z.string()).optional(),
});
export type RecordingInfo = z.infer<typeof RecordingInfo>;

/** Data of a successful `conv.startRecording` / `conv.stopRecording`. */
export const RecordingResult = z.object({ info: RecordingInfo });
export type RecordingResult = z.infer<typeof RecordingResult>;

/**
 * The recording of a joined conversation changed: `started` and `stopped` go to every participant,
 * `available` to those still there when the file is ready; `ongoing` follows a `conv.join`
 * answer when a recording runs (so a late joiner knows).
 */
export const ConvRecordingEvent = z.object({
  type: z.literal('conv.recording'),
  seq: z.number().int().positive(),
  conversation: ConversationName,
  state: z.enum(['started', 'ongoing', 'stopped', 'available']),
  info: RecordingInfo,
});
export type ConvRecordingEvent = z.infer<typeof ConvRecordingEvent>;

export const RecordingEvents = [ConvRecordingEvent] as const;
