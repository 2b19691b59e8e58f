/** `'NoStream'`: the stream carries no media of that kind in that direction. */
export type NoStream = 'NoStream';

/** Fields common to the four blocks of `callStatsUpdate.stats` (docs/sdk-reference.md#active-speaker-detection-and-call-statistics). */
interface RtpBlockBase {
  /** Round-trip time in ms (RTCP for sent streams, else the ICE candidate pair); 0 when unknown. */
  delay: number;
  nackCount: number;
  /** Lost over sent-or-expected packets in the sampling interval, 0..1. */
  packetLossRatio: number;
  remoteId: string;
  /** ms between the two getStats() samples the rates come from. */
  samplingInterval: number;
  /** Seconds since the epoch. */
  timestamp: number;
}

export interface AudioSentStats extends RtpBlockBase {
  kind: 'audio';
  mediaType: 'audio';
  type: 'outbound-rtp';
  bitsSentPerSecond: number;
  bytesSent: number;
  packetsSent: number;
  packetsSentPerSecond: number;
}

export interface VideoSentStats extends Omit<AudioSentStats, 'kind' | 'mediaType'> {
  kind: 'video';
  mediaType: 'video';
  /** Mean and standard deviation of bitsSentPerSecond over the samples so far (bit/s). */
  bitrateMean: number;
  bitrateStdDev: number;
  droppedFrames: number;
  firCount: number;
  framerateMean: number;
  framerateStdDev: number;
  framesEncoded: number;
  framesEncodedPerSecond: number;
  width: number;
  height: number;
  /** Mean of `delay` over the samples so far; null before any round trip was measured. */
  moyDelay: number | null;
  pliCount: number;
  qpSum: number;
}

export interface AudioReceivedStats extends RtpBlockBase {
  kind: 'audio';
  mediaType: 'audio';
  type: 'inbound-rtp';
  bitsReceivedPerSecond: number;
  bytesReceived: number;
  /** Interarrival jitter in ms. */
  jitter: number;
  packetsLost: number;
  packetsLostPerSecond: number;
  packetsReceived: number;
  packetsReceivedPerSecond: number;
}

export interface VideoReceivedStats extends Omit<AudioReceivedStats, 'kind' | 'mediaType'> {
  kind: 'video';
  mediaType: 'video';
  bitrateMean: number;
  bitrateStdDev: number;
  discardedPackets: number;
  firCount: number;
  framerateMean: number;
  framerateStdDev: number;
  framesDecoded: number;
  framesDecodedPerSecond: number;
  width: number;
  height: number;
  pliCount: number;
}

/** MOS estimates (1..4.5) or `'NoStream'`; see quality/mos.ts for the models. */
export interface QualityStats {
  mosS: number | NoStream;
  mosV: number | NoStream;
  mosSS: number | NoStream;
  mosSV: number | NoStream;
  mosAV?: number | NoStream;
  mosSAV?: number | NoStream;
}

/** `callStatsUpdate.stats` (and Call `statsUpdate`). */
export interface CallStats {
  audioSent?: AudioSentStats;
  videoSent?: VideoSentStats;
  audioReceived?: AudioReceivedStats;
  videoReceived?: VideoReceivedStats;
  quality: QualityStats;
  /** MIME subtype of the video codec, e.g. `VP8`. */
  videoCodec?: string;
}
