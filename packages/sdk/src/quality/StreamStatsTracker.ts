import type { AudioReceivedStats, AudioSentStats, CallStats, NoStream, QualityStats, VideoReceivedStats, VideoSentStats } from './callStats.js';
import { audioMos, audioVisualMos, roundMos, videoMos } from './mos.js';
import type { RtpSample } from './rtpStats.js';
import { RunningStats } from './RunningStats.js';

/** The samples of one stream at one instant, per kind (absent: the stream has no such track). */
export interface StreamSamples {
  audio?: RtpSample | null;
  video?: RtpSample | null;
}

/** Rates of one kind over one interval. */
interface Delta {
  seconds: number;
  bitsPerSecond: number;
  packetsPerSecond: number;
  lostPerSecond: number;
  framesPerSecond: number;
  lossRatio: number;
}

const round = (x: number, decimals = 0): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

/**
 * The statistics of one stream on one connection, sent or received: keeps the previous
 * getStats() sample of each kind so that every update reports rates over the interval, and the
 * running mean / deviation of bit rate, frame rate and delay since the stream started.
 */
export class StreamStatsTracker {
  readonly direction: 'sent' | 'received';
  readonly #prev: { audio?: RtpSample; video?: RtpSample } = {};
  readonly #bitrate = new RunningStats();
  readonly #framerate = new RunningStats();
  readonly #delay = new RunningStats();

  constructor(direction: 'sent' | 'received') {
    this.direction = direction;
  }

  /**
   * Takes the samples of `now` (ms since the epoch). Returns the stats over the interval since
   * the previous samples, or null on the first call (nothing to compare with yet).
   */
  update(samples: StreamSamples, now: number): CallStats | null {
    const stats: CallStats = { quality: this.#emptyQuality() };
    let compared = false;
    let audioMosValue: number | undefined;
    let videoMosValue: number | undefined;
    for (const kind of ['audio', 'video'] as const) {
      const cur = samples[kind];
      const prev = this.#prev[kind];
      if (!cur) continue;
      this.#prev[kind] = cur;
      if (!prev || cur.timestamp <= prev.timestamp) continue;
      compared = true;
      const d = delta(prev, cur, this.direction);
      const rtt = cur.rttMs ?? 0;
      const jitter = cur.jitterMs ?? 0;
      if (kind === 'audio') {
        audioMosValue = roundMos(audioMos({ rttMs: rtt, jitterMs: jitter, lossRatio: d.lossRatio }));
        if (this.direction === 'sent') stats.audioSent = audioSent(cur, d, now);
        else stats.audioReceived = audioReceived(cur, d, now);
      } else {
        this.#bitrate.add(d.bitsPerSecond);
        this.#framerate.add(d.framesPerSecond);
        if (cur.rttMs !== undefined) this.#delay.add(cur.rttMs);
        const size = { width: cur.width ?? 0, height: cur.height ?? 0 };
        videoMosValue = roundMos(videoMos({ ...size, frameRate: d.framesPerSecond, bitRate: d.bitsPerSecond, lossRatio: d.lossRatio }));
        const spread = {
          bitrateMean: round(this.#bitrate.mean),
          bitrateStdDev: round(this.#bitrate.stdDev),
          framerateMean: round(this.#framerate.mean, 2),
          framerateStdDev: round(this.#framerate.stdDev, 2),
        };
        if (this.direction === 'sent') {
          stats.videoSent = { ...videoSent(cur, d, now), ...spread, moyDelay: this.#delay.count > 0 ? round(this.#delay.mean, 1) : null };
        } else {
          stats.videoReceived = { ...videoReceived(cur, d, now), ...spread };
        }
        if (cur.codec) stats.videoCodec = cur.codec;
      }
    }
    if (!compared) return null;
    stats.quality = this.#quality(audioMosValue, videoMosValue, samples);
    return stats;
  }

  #emptyQuality(): QualityStats {
    return { mosS: 'NoStream', mosV: 'NoStream', mosSS: 'NoStream', mosSV: 'NoStream' };
  }

  #quality(audio: number | undefined, video: number | undefined, samples: StreamSamples): QualityStats {
    const q = this.#emptyQuality();
    // A kind the stream carries but whose figures are not in yet counts as absent this interval.
    const a: number | NoStream = samples.audio && audio !== undefined ? audio : 'NoStream';
    const v: number | NoStream = samples.video && video !== undefined ? video : 'NoStream';
    const av = audioVisualMos(audio, video);
    const both = av === undefined ? 'NoStream' : roundMos(av);
    if (this.direction === 'sent') return { ...q, mosSS: a, mosSV: v, mosSAV: both };
    return { ...q, mosS: a, mosV: v, mosAV: both };
  }
}

function delta(prev: RtpSample, cur: RtpSample, direction: 'sent' | 'received'): Delta {
  const seconds = (cur.timestamp - prev.timestamp) / 1000;
  const packets = Math.max(0, cur.packets - prev.packets);
  const lost = Math.max(0, cur.packetsLost - prev.packetsLost);
  // Sent: lost packets come from the far end's receiver reports, over what we sent; the RTCP
  // fraction is used when no packet was counted lost in between (reports lag behind).
  let lossRatio: number;
  if (direction === 'sent') lossRatio = packets > 0 ? Math.min(1, lost / packets) : 0;
  else lossRatio = packets + lost > 0 ? lost / (packets + lost) : 0;
  if (direction === 'sent' && lost === 0 && cur.fractionLost !== undefined) lossRatio = Math.min(1, Math.max(0, cur.fractionLost));
  const frames = Math.max(0, cur.frames - prev.frames);
  return {
    seconds,
    bitsPerSecond: (Math.max(0, cur.bytes - prev.bytes) * 8) / seconds,
    packetsPerSecond: packets / seconds,
    lostPerSecond: lost / seconds,
    framesPerSecond: frames / seconds,
    lossRatio,
  };
}

function base(
  cur: RtpSample,
  d: Delta,
  now: number,
): { delay: number; nackCount: number; packetLossRatio: number; remoteId: string; samplingInterval: number; timestamp: number } {
  return {
    delay: round(cur.rttMs ?? 0, 1),
    nackCount: cur.nackCount,
    packetLossRatio: round(d.lossRatio, 4),
    remoteId: cur.remoteId,
    samplingInterval: round(d.seconds * 1000),
    timestamp: round(now / 1000, 3),
  };
}

function audioSent(cur: RtpSample, d: Delta, now: number): AudioSentStats {
  return {
    ...base(cur, d, now),
    kind: 'audio',
    mediaType: 'audio',
    type: 'outbound-rtp',
    bitsSentPerSecond: round(d.bitsPerSecond),
    bytesSent: cur.bytes,
    packetsSent: cur.packets,
    packetsSentPerSecond: round(d.packetsPerSecond, 1),
  };
}

function videoSent(
  cur: RtpSample,
  d: Delta,
  now: number,
): Omit<VideoSentStats, 'bitrateMean' | 'bitrateStdDev' | 'framerateMean' | 'framerateStdDev' | 'moyDelay'> {
  return {
    ...base(cur, d, now),
    kind: 'video',
    mediaType: 'video',
    type: 'outbound-rtp',
    bitsSentPerSecond: round(d.bitsPerSecond),
    bytesSent: cur.bytes,
    packetsSent: cur.packets,
    packetsSentPerSecond: round(d.packetsPerSecond, 1),
    droppedFrames: cur.framesDropped,
    firCount: cur.firCount,
    framesEncoded: cur.frames,
    framesEncodedPerSecond: round(d.framesPerSecond, 2),
    width: cur.width ?? 0,
    height: cur.height ?? 0,
    pliCount: cur.pliCount,
    qpSum: cur.qpSum,
  };
}

function audioReceived(cur: RtpSample, d: Delta, now: number): AudioReceivedStats {
  return {
    ...base(cur, d, now),
    kind: 'audio',
    mediaType: 'audio',
    type: 'inbound-rtp',
    bitsReceivedPerSecond: round(d.bitsPerSecond),
    bytesReceived: cur.bytes,
    jitter: round(cur.jitterMs ?? 0, 1),
    packetsLost: cur.packetsLost,
    packetsLostPerSecond: round(d.lostPerSecond, 1),
    packetsReceived: cur.packets,
    packetsReceivedPerSecond: round(d.packetsPerSecond, 1),
  };
}

function videoReceived(cur: RtpSample, d: Delta, now: number): Omit<VideoReceivedStats, 'bitrateMean' | 'bitrateStdDev' | 'framerateMean' | 'framerateStdDev'> {
  return {
    ...audioReceived(cur, d, now),
    kind: 'video',
    mediaType: 'video',
    discardedPackets: cur.packetsDiscarded,
    firCount: cur.firCount,
    framesDecoded: cur.frames,
    framesDecodedPerSecond: round(d.framesPerSecond, 2),
    width: cur.width ?? 0,
    height: cur.height ?? 0,
    pliCount: cur.pliCount,
  };
}
