import type { CallStats, QualityStats } from '../../quality/callStats.js';
import type { QualitySettings } from '../../quality/QualitySettings.js';
import { entriesOf, readReceived, readSent, type RtpSample } from '../../quality/rtpStats.js';
import { StreamStatsTracker, type StreamSamples } from '../../quality/StreamStatsTracker.js';
import { log } from '../../util/Logger.js';

/**
 * One call statistics report from the two directions of a 1-1 call: the sent blocks and MOS
 * (`mosSS`, `mosSV`, `mosSAV`) from the sent side, the received ones (`mosS`, `mosV`, `mosAV`)
 * from the received side. Null when neither side compared two samples yet.
 */
export function mergeCallStats(sent: CallStats | null, received: CallStats | null): CallStats | null {
  if (!sent && !received) return null;
  const quality: QualityStats = {
    mosS: received?.quality.mosS ?? 'NoStream',
    mosV: received?.quality.mosV ?? 'NoStream',
    mosSS: sent?.quality.mosSS ?? 'NoStream',
    mosSV: sent?.quality.mosSV ?? 'NoStream',
  };
  if (sent?.quality.mosSAV !== undefined) quality.mosSAV = sent.quality.mosSAV;
  if (received?.quality.mosAV !== undefined) quality.mosAV = received.quality.mosAV;
  const stats: CallStats = { ...sent, ...received, quality };
  // The codec received is what the local user sees; the sent one when nothing is received.
  const codec = received?.videoCodec ?? sent?.videoCodec;
  if (codec !== undefined) stats.videoCodec = codec;
  return stats;
}

/** What {@link CallQuality} reads from its call. */
export interface CallQualitySource {
  /** The call's peer connection; null before it exists or after the end. */
  pc(): RTCPeerConnection | null;
  /** `statsUpdate` with a new report. */
  emit(stats: CallStats): void;
}

/**
 * Call statistics of one 1-1 call, following `userAgent.enableCallStatsMonitoring` like the
 * conversations do: every interval, getStats() of the connection's RTP senders and receivers
 * goes through a {@link StreamStatsTracker} per direction, the merged report becomes the call's
 * snapshot (`call.getStats()`) and its `statsUpdate`. `close()` is idempotent.
 */
export class CallQuality {
  readonly #settings: QualitySettings;
  readonly #src: CallQualitySource;
  #sent = new StreamStatsTracker('sent');
  #received = new StreamStatsTracker('received');
  #timer: ReturnType<typeof setInterval> | undefined;
  #interval = 0;
  #sampling = false;
  #closed = false;
  #last: CallStats | null = null;
  readonly #offSettings: () => void;

  constructor(settings: QualitySettings, source: CallQualitySource) {
    this.#settings = settings;
    this.#src = source;
    this.#offSettings = settings.on('change', () => this.#apply());
    this.#apply();
  }

  /** The last report; null before the first one (or when monitoring never ran). */
  get last(): CallStats | null {
    return this.#last;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#offSettings();
    this.#stop();
  }

  #apply(): void {
    const { enabled, interval } = this.#settings.callStats;
    if (this.#closed) return;
    if (!enabled) this.#stop();
    else if (interval !== this.#interval) {
      this.#stop();
      this.#interval = interval;
      this.#timer = setInterval(() => void this.#sample(), interval);
      // The first sample only sets the baseline the first report is measured against.
      void this.#sample();
    }
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#interval = 0;
    this.#sent = new StreamStatsTracker('sent');
    this.#received = new StreamStatsTracker('received');
  }

  async #sample(): Promise<void> {
    const pc = this.#src.pc();
    // getStats() may take longer than an interval on a loaded machine: never pile them up.
    if (this.#sampling || !pc || this.#timer === undefined) return;
    this.#sampling = true;
    try {
      const [sentSamples, receivedSamples] = await Promise.all([
        samplesOf(pc.getSenders(), readSent),
        samplesOf(
          pc.getReceivers().filter((r) => r.track.readyState === 'live'),
          readReceived,
        ),
      ]);
      if (this.#timer === undefined || this.#closed) return;
      const now = Date.now();
      const stats = mergeCallStats(this.#sent.update(sentSamples, now), this.#received.update(receivedSamples, now));
      if (!stats) return;
      this.#last = stats;
      this.#src.emit(stats);
    } catch (err) {
      log.debug('call getStats failed', err);
    } finally {
      this.#sampling = false;
    }
  }
}

/** The sample of each kind among `parts` (the first with a track of that kind). */
async function samplesOf(parts: (RTCRtpSender | RTCRtpReceiver)[], read: (entries: ReturnType<typeof entriesOf>) => RtpSample | null): Promise<StreamSamples> {
  const samples: StreamSamples = {};
  for (const part of parts) {
    const kind = part.track?.kind;
    if ((kind !== 'audio' && kind !== 'video') || samples[kind]) continue;
    samples[kind] = read(entriesOf(await part.getStats()));
  }
  return samples;
}
