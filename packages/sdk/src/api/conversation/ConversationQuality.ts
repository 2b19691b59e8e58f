import type { PlaneConnection } from '../../media/MediaPlane.js';
import { ActiveSpeakerDetector } from '../../quality/ActiveSpeakerDetector.js';
import type { CallStats } from '../../quality/callStats.js';
import { entriesOf, readReceived, readSent, type RtpSample } from '../../quality/rtpStats.js';
import { speakingLevel, type SpeakingChange } from '../../quality/SpeakingState.js';
import { StreamStatsTracker, type StreamSamples } from '../../quality/StreamStatsTracker.js';
import { log } from '../../util/Logger.js';
import type { ConversationScope } from './context.js';
import { errorText } from './relay.js';

/** A stream the quality features look at. */
export interface QualityStream {
  streamId: number;
  callId: string;
  ms: MediaStream;
}

/** What {@link ConversationQuality} reads from its conversation. */
export interface QualitySources {
  /** Ready publications (audio kind only matters for detection). */
  published(): (QualityStream & { sendsAudio: boolean })[];
  /** Subscriptions whose media arrived. */
  subscribed(): QualityStream[];
  /** callId of an announced stream. */
  callIdOf(streamId: number): string | undefined;
  /** The media plane's peer connections and its mode. */
  connections(): PlaneConnection[];
  mesh(): boolean;
}

/** How often the set of published streams is compared with the running detectors. */
const RECONCILE_MS = 500;

/**
 * Speaker detection and call statistics of one joined conversation, following the client-wide
 * switches (`userAgent.enableActiveSpeakerDetecting` / `enableCallStatsMonitoring`):
 * - a detector per published stream with audio; each start/stop of speaking is emitted as
 *   `audioAmplitude` here and sent to the server (`conv.audioAmplitude`), which forwards it to
 *   the stream's subscribers, whose conversation emits it in turn ({@link onRemote});
 * - every interval, `callStatsUpdate` per published stream (per mesh connection that sends it)
 *   and per subscribed stream, from getStats() of its RTP senders / receivers.
 * Started on join, closed on leave; `close()` is idempotent.
 */
export class ConversationQuality {
  readonly #h: ConversationScope;
  readonly #src: QualitySources;
  readonly #detectors = new Map<number, { ms: MediaStream; detector: ActiveSpeakerDetector }>();
  readonly #trackers = new Map<string, StreamStatsTracker>();
  #speakerTimer: ReturnType<typeof setInterval> | undefined;
  /** Level the running detectors use; 0 when detection is off. */
  #speakerLevel = 0;
  #statsTimer: ReturnType<typeof setInterval> | undefined;
  #statsInterval = 0;
  #sampling = false;
  #offSettings: (() => void) | undefined;

  constructor(scope: ConversationScope, sources: QualitySources) {
    this.#h = scope;
    this.#src = sources;
  }

  /** Joined: follow the switches from now on. */
  start(): void {
    this.#offSettings ??= this.#h.ctx.quality.on('change', () => this.#apply());
    this.#apply();
  }

  /** Left: stop everything (idempotent). */
  close(): void {
    this.#offSettings?.();
    this.#offSettings = undefined;
    this.#stopSpeaker();
    this.#stopStats();
  }

  /** `conv.audioAmplitude` from the server: a subscribed stream started or stopped speaking. */
  onRemote(e: { streamId: number; amplitude: number; isSpeaking: boolean }): void {
    this.#emitAmplitude(e.streamId, this.#src.callIdOf(e.streamId) ?? '', { amplitude: e.amplitude, isSpeaking: e.isSpeaking });
  }

  #apply(): void {
    const { activeSpeaker, callStats } = this.#h.ctx.quality;
    const level = speakingLevel(activeSpeaker.threshold);
    if (activeSpeaker.enabled && level !== this.#speakerLevel) this.#startSpeaker(level);
    else if (!activeSpeaker.enabled) this.#stopSpeaker();
    if (callStats.enabled && callStats.interval !== this.#statsInterval) {
      this.#stopStats();
      this.#startStats(callStats.interval);
    } else if (!callStats.enabled) this.#stopStats();
  }

  // ---- speaker detection -------------------------------------------------------------------------

  #startSpeaker(level: number): void {
    // A new threshold applies to new detectors: restart them all.
    for (const id of [...this.#detectors.keys()]) this.#dropDetector(id);
    this.#speakerLevel = level;
    this.#speakerTimer ??= setInterval(() => this.#reconcile(), RECONCILE_MS);
    this.#reconcile();
  }

  #stopSpeaker(): void {
    clearInterval(this.#speakerTimer);
    this.#speakerTimer = undefined;
    this.#speakerLevel = 0;
    for (const id of [...this.#detectors.keys()]) this.#dropDetector(id);
  }

  /** Detectors for exactly the published streams with audio (publications come, go and swap media). */
  #reconcile(): void {
    const wanted = new Map(
      this.#src
        .published()
        .filter((p) => p.sendsAudio && p.ms.getAudioTracks().length > 0)
        .map((p) => [p.streamId, p]),
    );
    for (const [id, d] of this.#detectors) if (wanted.get(id)?.ms !== d.ms) this.#dropDetector(id);
    for (const [id, p] of wanted) {
      if (this.#detectors.has(id)) continue;
      let detector: ActiveSpeakerDetector;
      try {
        detector = new ActiveSpeakerDetector(p.ms, this.#speakerLevel);
      } catch (err) {
        log.warn(`speaker detection unavailable for stream ${id}`, errorText(err));
        continue;
      }
      detector.on('change', (change) => this.#localChange(id, change));
      this.#detectors.set(id, { ms: p.ms, detector });
    }
  }

  #dropDetector(id: number): void {
    const d = this.#detectors.get(id);
    if (!d) return;
    this.#detectors.delete(id);
    // A stream that stops being watched while speaking would stay "speaking" for everyone.
    if (d.detector.speaking) this.#localChange(id, { amplitude: 0, isSpeaking: false });
    d.detector.close();
  }

  #localChange(streamId: number, change: SpeakingChange): void {
    const pub = this.#src.published().find((p) => p.streamId === streamId);
    this.#emitAmplitude(streamId, pub?.callId ?? '', change);
    if (!this.#h.joined()) return;
    this.#h.ctx
      .request({ type: 'conv.audioAmplitude', conversation: this.#h.name, streamId, amplitude: change.amplitude, isSpeaking: change.isSpeaking })
      .catch((err: unknown) => log.warn('conv.audioAmplitude failed', errorText(err)));
  }

  #emitAmplitude(streamId: number, callId: string, change: SpeakingChange): void {
    this.#h.emit('audioAmplitude', { streamId, callId, amplitude: change.amplitude, isSpeaking: change.isSpeaking, descriptor: { ...change } });
  }

  // ---- call statistics ---------------------------------------------------------------------------

  #startStats(interval: number): void {
    this.#statsInterval = interval;
    this.#statsTimer = setInterval(() => void this.#sample(), interval);
    // The first sample only sets the baseline the first update is measured against.
    void this.#sample();
  }

  #stopStats(): void {
    clearInterval(this.#statsTimer);
    this.#statsTimer = undefined;
    this.#statsInterval = 0;
    this.#trackers.clear();
  }

  async #sample(): Promise<void> {
    // getStats() may take longer than an interval on a loaded machine: never pile them up.
    if (this.#sampling || !this.#h.joined()) return;
    this.#sampling = true;
    try {
      const seen = new Set<string>();
      const mesh = this.#src.mesh();
      const connections = this.#src.connections();
      const jobs: Promise<void>[] = [];
      for (const conn of connections) {
        for (const p of this.#src.published()) {
          const tracks = p.ms.getTracks();
          const senders = conn.pc.getSenders().filter((s) => s.track !== null && tracks.includes(s.track));
          if (senders.length > 0) jobs.push(this.#measure(`s:${p.streamId}:${conn.peer ?? ''}`, 'sent', p, conn, senders, mesh, seen));
        }
        for (const s of this.#src.subscribed()) {
          const tracks = s.ms.getTracks();
          const receivers = conn.pc.getReceivers().filter((r) => tracks.includes(r.track));
          if (receivers.length > 0) jobs.push(this.#measure(`r:${s.streamId}:${conn.peer ?? ''}`, 'received', s, conn, receivers, mesh, seen));
        }
      }
      await Promise.all(jobs);
      for (const key of [...this.#trackers.keys()]) if (!seen.has(key)) this.#trackers.delete(key);
    } finally {
      this.#sampling = false;
    }
  }

  async #measure(
    key: string,
    direction: 'sent' | 'received',
    stream: QualityStream,
    conn: PlaneConnection,
    parts: (RTCRtpSender | RTCRtpReceiver)[],
    mesh: boolean,
    seen: Set<string>,
  ): Promise<void> {
    seen.add(key);
    const samples: StreamSamples = {};
    try {
      for (const part of parts) {
        const kind = part.track?.kind === 'video' ? 'video' : 'audio';
        const entries = entriesOf(await part.getStats());
        const sample: RtpSample | null = direction === 'sent' ? readSent(entries) : readReceived(entries);
        samples[kind] = sample;
      }
    } catch (err) {
      log.debug('getStats failed', errorText(err));
      return;
    }
    let tracker = this.#trackers.get(key);
    if (!tracker) {
      tracker = new StreamStatsTracker(direction);
      this.#trackers.set(key, tracker);
    }
    const stats = tracker.update(samples, Date.now());
    if (!stats || !this.#h.joined() || this.#statsTimer === undefined) return;
    this.#emitStats(stream, stats, mesh ? conn.peer : undefined);
  }

  #emitStats(stream: QualityStream, stats: CallStats, peer: string | undefined): void {
    const base = { streamId: stream.streamId, callId: stream.callId, stats };
    if (peer === undefined) this.#h.emit('callStatsUpdate', base);
    else this.#h.emit('callStatsUpdate', { ...base, mesh: true, userId: peer, contact: this.#h.ctx.contact(peer) });
  }
}
