import { z } from 'zod';
import { ErrorCode } from './errors.js';

/*
 * The channel between the server's main process and its media worker processes (see
 * docs/media-plane.md § Media workers). Both ends validate every message with these schemas:
 * a worker is trusted code, but a schema mismatch after a partial upgrade or a bug must fail
 * loudly at the boundary, not as a wrong field deep in the SFU.
 */

const Id = z.string().min(1).max(256);
const ReqId = z.number().int().nonnegative();
const Sdp = z
  .string()
  .min(1)
  .max(256 * 1024);
const Transport = z.enum(['publisher', 'subscriber']);
const Count = z.number().nonnegative();
/** An apiRTC error code (errors.ts). */
const Code = z.enum(ErrorCode);

/** Main process → worker. Commands naming a room or peer that is gone are ignored by the worker. */
export const MediaWorkerCommand = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('createRoom'), room: Id }),
  z.strictObject({ op: z.literal('closeRoom'), room: Id }),
  z.strictObject({ op: z.literal('addPeer'), room: Id, peer: Id }),
  z.strictObject({ op: z.literal('closePeer'), room: Id, peer: Id }),
  /** Answered by `reply` (with `sdp`) or `failure`. */
  z.strictObject({
    op: z.literal('publisherOffer'),
    req: ReqId,
    room: Id,
    peer: Id,
    sdp: Sdp,
    timeoutMs: z.number().int().positive().optional(),
    /** Simulcast groups: mids of one camera's encodings, highest first (media.publisherOffer). */
    simulcast: z
      .array(z.array(z.string().max(64)).max(8))
      .max(64)
      .optional(),
  }),
  z.strictObject({ op: z.literal('subscriberAnswer'), room: Id, peer: Id, sdp: Sdp }),
  z.strictObject({
    op: z.literal('candidate'),
    room: Id,
    peer: Id,
    transport: Transport,
    candidate: z.string().max(2048),
    sdpMid: z.string().max(64).optional(),
  }),
  z.strictObject({ op: z.literal('subscribe'), room: Id, peer: Id, track: Id }),
  z.strictObject({ op: z.literal('unsubscribe'), room: Id, peer: Id, track: Id }),
  /** Highest simulcast layer the peer wants of its subscription to `track` (updateSubscribedStream). */
  z.strictObject({ op: z.literal('preferLayer'), room: Id, peer: Id, track: Id, layer: z.number().int().min(0).max(7) }),
  /** Records a track into `file` inside the worker (the RTP never leaves the worker). */
  z.strictObject({ op: z.literal('startCapture'), capture: Id, room: Id, track: Id, file: z.string().min(1).max(4096) }),
  /** Answered by `reply` once the file is flushed. */
  z.strictObject({ op: z.literal('stopCapture'), req: ReqId, capture: Id }),
]);
export type MediaWorkerCommand = z.infer<typeof MediaWorkerCommand>;

/** A published track as the main process sees it. */
export const MediaWorkerTrack = z.strictObject({
  id: Id,
  kind: z.enum(['audio', 'video']),
  streamId: z.string().max(256),
  mid: z.string().max(64),
  /** Name of the first negotiated codec (VP8, opus, H264…). */
  codec: z.string().max(64).nullable(),
  /** Simulcast layers (1 without simulcast). */
  layers: z.number().int().min(1).max(8),
});
export type MediaWorkerTrack = z.infer<typeof MediaWorkerTrack>;

/** A forwarded track (subscription) as the main process sees it. */
export const MediaWorkerSubscription = z.strictObject({
  id: Id,
  source: Id,
  kind: z.enum(['audio', 'video']),
  mid: z.string().max(64),
  streamId: z.string().max(256),
});

/** Counters of one peer (cumulative). */
export const MediaWorkerPeerCounters = z.strictObject({
  room: Id,
  peer: Id,
  packetsIn: Count,
  bytesIn: Count,
  packetsOut: Count,
  bytesOut: Count,
  packetsLost: Count,
  plisSent: Count,
  nacksReceived: Count,
  retransmitted: Count,
  plisReceived: Count,
  paddingBytes: Count,
  probeClusters: Count,
});

/** Worker → main process. */
export const MediaWorkerEvent = z.discriminatedUnion('ev', [
  z.strictObject({ ev: z.literal('ready'), pid: z.number().int() }),
  z.strictObject({ ev: z.literal('reply'), req: ReqId, sdp: Sdp.optional() }),
  /** A request (`req`) failed with a ParleyError code. */
  z.strictObject({ ev: z.literal('failure'), req: ReqId, code: Code, message: z.string().max(4096) }),
  /** A fire-and-forget command (subscribe, addPeer…) was refused by the SFU. */
  z.strictObject({
    ev: z.literal('refused'),
    op: z.string().max(32),
    room: Id,
    peer: Id.optional(),
    track: Id.optional(),
    code: Code,
    message: z.string().max(4096),
  }),
  z.strictObject({ ev: z.literal('trackPublished'), room: Id, peer: Id, track: MediaWorkerTrack }),
  z.strictObject({ ev: z.literal('trackUnpublished'), room: Id, peer: Id, track: Id }),
  z.strictObject({ ev: z.literal('publisherSdp'), room: Id, peer: Id, sdp: Sdp }),
  /** The subscriptions are those of the peer when the offer was made (its m-sections). */
  z.strictObject({ ev: z.literal('subscriberSdp'), room: Id, peer: Id, sdp: Sdp, subscriptions: z.array(MediaWorkerSubscription).max(8192) }),
  z.strictObject({ ev: z.literal('candidate'), room: Id, peer: Id, transport: Transport, candidate: z.string().max(2048), sdpMid: z.string().max(64) }),
  z.strictObject({ ev: z.literal('connectionState'), room: Id, peer: Id, transport: Transport, state: z.string().max(32) }),
  z.strictObject({ ev: z.literal('transportFailed'), room: Id, peer: Id, transport: Transport, reason: z.string().max(4096) }),
  z.strictObject({ ev: z.literal('subscriptionEnded'), room: Id, peer: Id, source: Id }),
  /** The simulcast layer forwarded to `peer` for its subscription to `source` changed. */
  z.strictObject({ ev: z.literal('layerChanged'), room: Id, peer: Id, source: Id, layer: z.number().int().min(0).max(7) }),
  /** The room's dominant speaker changed: `track` (an audio track of `peer`) is now the loudest. */
  z.strictObject({ ev: z.literal('dominantSpeakerChanged'), room: Id, peer: Id, track: Id }),
  z.strictObject({ ev: z.literal('peerClosed'), room: Id, peer: Id }),
  z.strictObject({ ev: z.literal('captureStarted'), capture: Id, at: z.number() }),
  /** Periodic load report: live peers' counters, PeerConnection reservations, CPU time used. */
  z.strictObject({
    ev: z.literal('stats'),
    peers: z.array(MediaWorkerPeerCounters).max(65536),
    reserved: Count,
    refused: Count,
    cpuMicros: Count,
  }),
]);
export type MediaWorkerEvent = z.infer<typeof MediaWorkerEvent>;
