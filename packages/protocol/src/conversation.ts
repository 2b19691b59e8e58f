import * as z from 'zod';
import { bounded } from './bounded.js';
import { Bounds } from './limits.js';
import { RequestId, UserId } from './common.js';
import { JoinModeration } from './joinModeration.js';

/*
 * Conversations: membership, stream announcements, SFU media negotiation, mesh relay,
 * conversation messaging and the publisher relay (remote constraints / remote enable).
 * See docs/protocol.md § Conversations.
 */

export const ConversationName = z.string().min(1).max(Bounds.groupName);
/** apiRTC stream ids are JavaScript numbers (safe integers). */
export const StreamId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** Leg ids are numeric strings. */
export const CallId = z.string().regex(/^[0-9]{1,16}$/);
export const Sdp = z
  .string()
  .min(1)
  .max(64 * 1024);
const JsonObject = z.record(z.string(), z.unknown());
/**
 * A stream's application context as the publisher sends it, bounded: it is stored and sent with
 * every stream list. (The descriptor the server sends back is not checked again.)
 */
const StreamContext = bounded(JsonObject, Bounds.streamContext);

export const ConversationMode = z.enum(['sfu', 'mesh']);
export type ConversationMode = z.infer<typeof ConversationMode>;

/** What every participant learns about a published stream (→ apiRTC StreamInfo). */
export const StreamDescriptor = z.object({
  streamId: StreamId,
  callId: CallId,
  publisherId: UserId,
  hasAudio: z.boolean(),
  hasVideo: z.boolean(),
  isAudioMuted: z.boolean(),
  isVideoMuted: z.boolean(),
  isScreensharing: z.boolean(),
  context: JsonObject.optional(),
});
export type StreamDescriptor = z.infer<typeof StreamDescriptor>;

// ---- client → server requests ---------------------------------------------------------------

export const ConvJoinRequest = z.object({
  type: z.literal('conv.join'),
  id: RequestId,
  conversation: ConversationName,
  meshModeEnabled: z.boolean().default(false),
  meshOnlyEnabled: z.boolean().default(false),
  /** apiRTC `moderationEnabled`: creates the conversation moderated (docs/protocol.md § Moderation). */
  moderationEnabled: z.boolean().default(false),
  /** apiRTC `moderator`: asks for the moderator role (granted by the server's rule, not by this flag). */
  moderator: z.boolean().default(false),
});
export const ConvLeaveRequest = z.object({ type: z.literal('conv.leave'), id: RequestId, conversation: ConversationName });

/** Chat-only membership (apiRTC joinGroupChat): messages and history, no streams or media. */
export const ConvJoinGroupChatRequest = z.object({ type: z.literal('conv.joinGroupChat'), id: RequestId, conversation: ConversationName });
export const ConvLeaveGroupChatRequest = z.object({ type: z.literal('conv.leaveGroupChat'), id: RequestId, conversation: ConversationName });

/** Announces a local stream; `msid` is the MediaStream id the SDP of the publisher PC carries. */
export const ConvPublishRequest = z.object({
  type: z.literal('conv.publish'),
  id: RequestId,
  conversation: ConversationName,
  streamId: StreamId,
  msid: z.string().min(1).max(128),
  hasAudio: z.boolean(),
  hasVideo: z.boolean(),
  isAudioMuted: z.boolean(),
  isVideoMuted: z.boolean(),
  isScreensharing: z.boolean(),
  context: StreamContext.optional(),
  /**
   * The publisher's app lets subscribers re-enable this stream's audio/video remotely
   * (`enableAudio` / `enableVideo` relays); without it the server refuses them (code 14).
   * Parley extension (SDK `PublishOptions.remoteUnmuteEnabled`); not shown to other participants.
   */
  remoteUnmuteEnabled: z.boolean().default(false),
});
export const ConvUnpublishRequest = z.object({
  type: z.literal('conv.unpublish'),
  id: RequestId,
  conversation: ConversationName,
  streamId: StreamId,
});
/** Publisher-side change of a published stream (enable/disable, tracks, replaced stream). */
export const ConvUpdateStreamRequest = z.object({
  type: z.literal('conv.updateStream'),
  id: RequestId,
  conversation: ConversationName,
  streamId: StreamId,
  hasAudio: z.boolean(),
  hasVideo: z.boolean(),
  isAudioMuted: z.boolean(),
  isVideoMuted: z.boolean(),
});
export const ConvSubscribeRequest = z.object({
  type: z.literal('conv.subscribe'),
  id: RequestId,
  conversation: ConversationName,
  streamId: StreamId,
  audio: z.boolean().default(true),
  video: z.boolean().default(true),
});
export const ConvUnsubscribeRequest = z.object({
  type: z.literal('conv.unsubscribe'),
  id: RequestId,
  conversation: ConversationName,
  streamId: StreamId,
});

/** Simulcast qualities as apiRTC names them (`SimulcastSubscribeOptions.streamQuality`). */
export const SimulcastQuality = z.enum(['high', 'medium', 'low']);
/**
 * SFU: the subscriber asks for at most `quality` of a simulcast stream it is subscribed to
 * (`updateSubscribedStream`, e.g. a small tile); its bandwidth may still choose lower.
 */
export const ConvUpdateSubscriptionRequest = z.object({
  type: z.literal('conv.updateSubscription'),
  id: RequestId,
  conversation: ConversationName,
  streamId: StreamId,
  quality: SimulcastQuality,
});

/** SFU: the SDK's publisher PC offer (first or re-offer); answer data `{sdp}`. */
export const MediaPublisherOfferRequest = z.object({
  type: z.literal('media.publisherOffer'),
  id: RequestId,
  conversation: ConversationName,
  sdp: Sdp,
  /**
   * Simulcast: per published video source, the mids of its encodings, highest quality first
   * (each encoding is its own m-section; see docs/media-plane.md). The first becomes the track
   * subscribers see.
   */
  simulcast: z
    .array(z.array(z.string().min(1).max(64)).min(2).max(3))
    .max(8)
    .optional(),
});
/** SFU: the SDK's answer to a `media.subscriberOffer` event. */
export const MediaSubscriberAnswerRequest = z.object({
  type: z.literal('media.subscriberAnswer'),
  id: RequestId,
  conversation: ConversationName,
  sdp: Sdp,
});
export const TransportKind = z.enum(['publisher', 'subscriber']);
/** SFU: a trickled ICE candidate of one of the SDK's two PCs (empty candidate = end). */
export const MediaCandidateRequest = z.object({
  type: z.literal('media.candidate'),
  id: RequestId,
  conversation: ConversationName,
  transport: TransportKind,
  candidate: z.string().max(1024),
  sdpMid: z.string().max(64).optional(),
});

/** Mesh: an SDP or candidate for the peer connection to `to`, relayed untouched. */
export const MeshSignalPayload = z.union([
  z.object({ kind: z.literal('offer'), sdp: Sdp }),
  z.object({ kind: z.literal('answer'), sdp: Sdp }),
  z.object({ kind: z.literal('candidate'), candidate: z.string().max(1024), sdpMid: z.string().max(64).optional() }),
  /** The subscriber asks the publisher to send a stream on their pair connection. */
  z.object({ kind: z.literal('subscribe'), streamId: StreamId, audio: z.boolean(), video: z.boolean() }),
  z.object({ kind: z.literal('unsubscribe'), streamId: StreamId }),
]);
export type MeshSignalPayload = z.infer<typeof MeshSignalPayload>;
export const MeshSignalRequest = z.object({
  type: z.literal('mesh.signal'),
  id: RequestId,
  conversation: ConversationName,
  to: UserId,
  payload: MeshSignalPayload,
});
/** Mesh: receive-side loss report; sustained heavy loss moves the room to SFU. */
export const ConvQualityReportRequest = z.object({
  type: z.literal('conv.qualityReport'),
  id: RequestId,
  conversation: ConversationName,
  /** Received packet-loss ratio over the last stats interval, 0..1. */
  lossRatio: z.number().min(0).max(1),
});

export const ConvMessageRequest = z.object({
  type: z.literal('conv.message'),
  id: RequestId,
  conversation: ConversationName,
  content: bounded(z.string().min(1), Bounds.messageContent),
  metadata: bounded(JsonObject, Bounds.messageMetadata).optional(),
});
export const ConvDataRequest = z.object({
  type: z.literal('conv.data'),
  id: RequestId,
  conversation: ConversationName,
  content: bounded(z.unknown(), Bounds.dataContent),
});
export const ConvCustomEventRequest = z.object({
  type: z.literal('conv.customEvent'),
  id: RequestId,
  conversation: ConversationName,
  event: z.string().min(1).max(Bounds.eventName),
  content: bounded(z.unknown(), Bounds.dataContent),
});

/** Operations a subscriber may ask a publisher to run on a published stream. */
export const RelayAction = z.enum([
  'applyConstraints',
  'getConstraints',
  'getSettings',
  'getCapabilities',
  'enableAudio',
  'disableAudio',
  'enableVideo',
  'disableVideo',
  'getAudioFlowStatus',
  'getVideoFlowStatus',
]);
export type RelayAction = z.infer<typeof RelayAction>;
/**
 * Subscriber → publisher request; answered with the publisher's result (10 s timeout → 11).
 * Only subscribers of the stream may send it (code 4 otherwise); `enableAudio` / `enableVideo`
 * need the publisher's `remoteUnmuteEnabled` (code 14 otherwise).
 */
export const ConvRelayRequest = z.object({
  type: z.literal('conv.relay'),
  id: RequestId,
  conversation: ConversationName,
  streamId: StreamId,
  action: RelayAction,
  args: bounded(z.unknown(), Bounds.relayArgs).optional(),
});
/** Publisher's answer to a `conv.relayRequest` event. */
export const ConvRelayAnswerRequest = z.object({
  type: z.literal('conv.relayAnswer'),
  id: RequestId,
  relayId: z.number().int().nonnegative(),
  ok: z.boolean(),
  result: bounded(z.unknown(), Bounds.relayResult).optional(),
  error: z.string().max(1024).optional(),
});

/** The publisher applied new constraints to a published stream; subscribers are told. */
export const ConvConstraintsChangedRequest = z.object({
  type: z.literal('conv.constraintsChanged'),
  id: RequestId,
  conversation: ConversationName,
  streamId: StreamId,
  constraints: bounded(z.unknown(), Bounds.constraints),
});

/**
 * Speaker detection on the publisher's page: one of its published streams started
 * (`isSpeaking: true`) or stopped speaking. Sent on changes only; the server forwards it to the
 * stream's subscribers as a `conv.audioAmplitude` event.
 */
export const ConvAudioAmplitudeRequest = z.object({
  type: z.literal('conv.audioAmplitude'),
  id: RequestId,
  conversation: ConversationName,
  streamId: StreamId,
  /** Analyser level on apiRTC's 0..255 byte scale. */
  amplitude: z.number().min(0).max(255),
  isSpeaking: z.boolean(),
});

export const ConversationRequests = [
  ConvJoinRequest,
  ConvLeaveRequest,
  ConvJoinGroupChatRequest,
  ConvLeaveGroupChatRequest,
  ConvPublishRequest,
  ConvUnpublishRequest,
  ConvUpdateStreamRequest,
  ConvSubscribeRequest,
  ConvUnsubscribeRequest,
  ConvUpdateSubscriptionRequest,
  MediaPublisherOfferRequest,
  MediaSubscriberAnswerRequest,
  MediaCandidateRequest,
  MeshSignalRequest,
  ConvQualityReportRequest,
  ConvMessageRequest,
  ConvDataRequest,
  ConvCustomEventRequest,
  ConvRelayRequest,
  ConvRelayAnswerRequest,
  ConvConstraintsChangedRequest,
  ConvAudioAmplitudeRequest,
] as const;

/** Data of a successful `conv.join`. Streams already published follow as `conv.stream` events. */
export const ConvJoinResult = z.object({
  mode: ConversationMode,
  meshOnly: z.boolean(),
  /** Present in a moderated conversation (see moderation.ts). */
  moderation: JoinModeration.optional(),
});
export type ConvJoinResult = z.infer<typeof ConvJoinResult>;
/** Data of a successful `conv.publish`. */
export const ConvPublishResult = z.object({ callId: CallId });
export type ConvPublishResult = z.infer<typeof ConvPublishResult>;
/** Data of a successful `media.publisherOffer`. */
export const MediaAnswerResult = z.object({ sdp: Sdp });
export type MediaAnswerResult = z.infer<typeof MediaAnswerResult>;
/** Data of a successful `conv.message`: the message's id, as its receivers get it. */
export const ConvMessageResult = z.object({ uuid: z.number().int().nonnegative() });
export type ConvMessageResult = z.infer<typeof ConvMessageResult>;
/** Data of a successful `conv.relay`: what the publisher's SDK answered. */
export const ConvRelayResult = z.object({ result: z.unknown().optional() });
export type ConvRelayResult = z.infer<typeof ConvRelayResult>;

// ---- server → client events (each gets a seq when sent) -----------------------------------

const Seq = z.number().int().positive();

/** A stream was announced, withdrawn or changed in a joined conversation. */
export const ConvStreamEvent = z.object({
  type: z.literal('conv.stream'),
  seq: Seq,
  conversation: ConversationName,
  change: z.enum(['added', 'removed', 'updated']),
  stream: StreamDescriptor,
});
/** A subscription ended without the subscriber asking (publisher gone, room mode switch). */
export const ConvSubscriptionEndedEvent = z.object({
  type: z.literal('conv.subscriptionEnded'),
  seq: Seq,
  conversation: ConversationName,
  streamId: StreamId,
  reason: z.string(),
});
/** SFU: the server's (re-)offer for the subscriber PC; `streams` maps msids to stream ids. */
export const MediaSubscriberOfferEvent = z.object({
  type: z.literal('media.subscriberOffer'),
  seq: Seq,
  conversation: ConversationName,
  sdp: Sdp,
  streams: z.array(z.object({ streamId: StreamId, msid: z.string() })),
});
export const MediaCandidateEvent = z.object({
  type: z.literal('media.candidate'),
  seq: Seq,
  conversation: ConversationName,
  transport: TransportKind,
  candidate: z.string(),
  sdpMid: z.string().optional(),
});
export const MeshSignalEvent = z.object({
  type: z.literal('mesh.signal'),
  seq: Seq,
  conversation: ConversationName,
  from: UserId,
  payload: MeshSignalPayload,
});
/** The room moves between mesh and SFU; SDKs re-publish and re-subscribe by themselves. */
export const ConvModeChangedEvent = z.object({
  type: z.literal('conv.modeChanged'),
  seq: Seq,
  conversation: ConversationName,
  oldMode: ConversationMode,
  newMode: ConversationMode,
  state: z.enum(['ongoing', 'complete']),
});
/**
 * The server lost the conversation's media (its media worker died): the SDKs publish their
 * streams again (same ids, no announcement) and subscribe again, as after a mode switch.
 */
export const ConvMediaRestartEvent = z.object({
  type: z.literal('conv.mediaRestart'),
  seq: Seq,
  conversation: ConversationName,
  reason: z.string().max(256),
});
export const ConvMessageEvent = z.object({
  type: z.literal('conv.message'),
  seq: Seq,
  conversation: ConversationName,
  from: UserId,
  content: z.string(),
  uuid: z.number().int().nonnegative(),
  time: z.number(),
  metadata: JsonObject.optional(),
});
export const ConvDataEvent = z.object({
  type: z.literal('conv.data'),
  seq: Seq,
  conversation: ConversationName,
  from: UserId,
  content: z.unknown(),
});
export const ConvCustomEventEvent = z.object({
  type: z.literal('conv.customEvent'),
  seq: Seq,
  conversation: ConversationName,
  from: UserId,
  event: z.string(),
  content: z.unknown(),
});
/** Asks the publisher's SDK to run `action` on its published stream; answer with `conv.relayAnswer`. */
export const ConvRelayRequestEvent = z.object({
  type: z.literal('conv.relayRequest'),
  seq: Seq,
  conversation: ConversationName,
  relayId: z.number().int().nonnegative(),
  from: UserId,
  streamId: StreamId,
  action: RelayAction,
  args: z.unknown().optional(),
});
/** Tells subscribers the publisher applied new constraints to a stream. */
export const ConvConstraintsChangedEvent = z.object({
  type: z.literal('conv.constraintsChanged'),
  seq: Seq,
  conversation: ConversationName,
  streamId: StreamId,
  constraints: z.unknown(),
});

/** The publisher of a subscribed stream reported that it started or stopped speaking. */
export const ConvAudioAmplitudeEvent = z.object({
  type: z.literal('conv.audioAmplitude'),
  seq: Seq,
  conversation: ConversationName,
  streamId: StreamId,
  amplitude: z.number().min(0).max(255),
  isSpeaking: z.boolean(),
});

/** SFU: the simulcast layer forwarded to this subscriber changed (apiRTC `simulcastFeedChanged`). */
export const ConvSimulcastFeedChangedEvent = z.object({
  type: z.literal('conv.simulcastFeedChanged'),
  seq: Seq,
  conversation: ConversationName,
  streamId: StreamId,
  quality: SimulcastQuality,
});

/**
 * Parley extension, SFU only: the conversation's dominant speaker changed. The server ranks the
 * published audio tracks by their RFC 6464 audio levels (with hysteresis) and names the stream
 * and the contact (user id) of the new loudest one, to every participant.
 */
export const ConvDominantSpeakerEvent = z.object({
  type: z.literal('conv.dominantSpeaker'),
  seq: Seq,
  conversation: ConversationName,
  streamId: StreamId,
  contactId: UserId,
});

export const ConversationEvents = [
  ConvStreamEvent,
  ConvSubscriptionEndedEvent,
  MediaSubscriberOfferEvent,
  MediaCandidateEvent,
  MeshSignalEvent,
  ConvModeChangedEvent,
  ConvMediaRestartEvent,
  ConvMessageEvent,
  ConvDataEvent,
  ConvCustomEventEvent,
  ConvRelayRequestEvent,
  ConvConstraintsChangedEvent,
  ConvAudioAmplitudeEvent,
  ConvSimulcastFeedChangedEvent,
  ConvDominantSpeakerEvent,
] as const;

export type ConvStreamEvent = z.infer<typeof ConvStreamEvent>;
export type MediaSubscriberOfferEvent = z.infer<typeof MediaSubscriberOfferEvent>;
export type ConvRelayRequestEvent = z.infer<typeof ConvRelayRequestEvent>;
