import { STREAM_TYPE_AUDIO, STREAM_TYPE_NO_INPUT, STREAM_TYPE_VIDEO } from '../../constants.js';
import { addMediaElement, attachMediaStream, removeMediaElement, type MediaElementStyle } from '../../media/mediaElement.js';
import { captureFrame, type SnapshotOptions } from '../../media/snapshot.js';
import { StreamRecorder } from '../../media/StreamRecorder.js';
import { log } from '../../util/Logger.js';
import { rejectNotSupported } from '../../util/unsupported.js';
import { ActiveSpeakerDetector } from '../../quality/ActiveSpeakerDetector.js';
import { Observable } from '../Observable.js';
import type { StreamEvents } from './types.js';

/** `enableAudioAnalysis` default level (apiRTC's, on the 0..255 scale). */
const DEFAULT_ANALYSIS_THRESHOLD = 100;

/**
 * What a {@link Stream} offers on top of the MediaStream it holds, whatever its origin: the data
 * queries, playing it in page elements, snapshots, the local recording, the analysis stubs and the
 * deprecated mute aliases of the enable/disable controls.
 * {@link ProcessedStream} adds the processors, {@link Stream} identity, local media controls and the remote relay.
 */
export abstract class StreamData extends Observable<StreamEvents> {
  /** Underlying MediaStream; null after release. */
  data: MediaStream | null = null;
  #analysis: ActiveSpeakerDetector | null = null;
  /** False for local streams. */
  abstract readonly isRemote: boolean;

  abstract enableAudio(applyRemotely?: boolean): Promise<void>;
  abstract disableAudio(applyRemotely?: boolean): Promise<void>;
  abstract enableVideo(applyRemotely?: boolean): Promise<void>;
  abstract disableVideo(applyRemotely?: boolean): Promise<void>;

  /** Underlying MediaStream (null after release). */
  getData(): MediaStream | null {
    return this.data;
  }

  /** `'video'` with video, else `'audio'` with audio, else `'no_input'`. */
  getType(): string {
    if (this.hasVideo()) return STREAM_TYPE_VIDEO;
    return this.hasAudio() ? STREAM_TYPE_AUDIO : STREAM_TYPE_NO_INPUT;
  }

  /** A MediaStream is attached (false after release). */
  hasData(): boolean {
    return this.data !== null;
  }

  /** Has an audio track. */
  hasAudio(): boolean {
    return (this.data?.getAudioTracks().length ?? 0) > 0;
  }

  /** Has a video track. */
  hasVideo(): boolean {
    return (this.data?.getVideoTracks().length ?? 0) > 0;
  }

  /** Track labels `{audioSourceLabel?, videoSourceLabel?}`. */
  getLabels(): { audioSourceLabel?: string; videoSourceLabel?: string } {
    const labels: { audioSourceLabel?: string; videoSourceLabel?: string } = {};
    const a = this.data?.getAudioTracks()[0];
    const v = this.data?.getVideoTracks()[0];
    if (a) labels.audioSourceLabel = a.label;
    if (v) labels.videoSourceLabel = v.label;
    return labels;
  }

  /**
   * Creates an `<audio>` (audio-only stream) or `<video>` element with id `mediaEltId`, appends it
   * to the element `divId` and starts playback (docs/sdk-reference.md#stream).
   */
  addInDiv(divId: string, mediaEltId: string, style?: MediaElementStyle | null, muted?: boolean): void {
    if (!this.data) {
      log.error('addInDiv() - stream has no data');
      return;
    }
    addMediaElement(this.data, divId, mediaEltId, style, Boolean(muted));
  }

  /** Removes the element `mediaEltId` from `divId`; silent when absent. */
  removeFromDiv(divId: string, mediaEltId: string): void {
    removeMediaElement(divId, mediaEltId);
  }

  /** Plays the stream in an existing media element. */
  attachToElement(element: HTMLMediaElement): void {
    attachMediaStream(element, this.data);
  }

  /**
   * Grabs a video frame: a data URL by default, a Blob with `output: 'blob'`. Rejects an Error when
   * the stream has no data or no video.
   */
  async takeSnapshot(opts: SnapshotOptions = {}): Promise<string | Blob> {
    if (!this.data) throw new Error('takeSnapshot() - stream has no data');
    if (this.isRemote && (opts.applyRemotely || opts.fullResolution)) {
      return rejectNotSupported('takeSnapshot');
    }
    return captureFrame(this.data, opts);
  }

  /** Starts a local MediaRecorder recording (one per page). Rejects code 12 on failure. */
  startRecord(): Promise<void> {
    try {
      StreamRecorder.start(this, this.data);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Stops the recording and resolves the recorded Blob. Rejects code 12 when not recording. */
  stopRecord(): Promise<Blob> {
    return StreamRecorder.stop(this);
  }

  /** Deprecated alias of disableAudio(). */
  muteAudio(): void {
    log.warn('muteAudio() is deprecated, use disableAudio()');
    void this.disableAudio();
  }

  /** Deprecated alias of enableAudio(). */
  unmuteAudio(): void {
    log.warn('unmuteAudio() is deprecated, use enableAudio()');
    void this.enableAudio();
  }

  /** Deprecated alias of disableVideo(). */
  muteVideo(): void {
    log.warn('muteVideo() is deprecated, use disableVideo()');
    void this.disableVideo();
  }

  /** Deprecated alias of enableVideo(). */
  unmuteVideo(): void {
    log.warn('unmuteVideo() is deprecated, use enableVideo()');
    void this.enableVideo();
  }

  /**
   * Per-stream amplitude analysis (P2): every 100 ms `audioAmplitude` (the level, 0..255) and, when
   * the level crosses `threshold` (0..255, default 100) with the speaker hysteresis,
   * `audioAmplitudeInfo {amplitude, isSpeaking}`. Logs an error and does nothing without audio.
   * Chromium feeds a remote WebRTC track to Web Audio only while it also plays in a media element.
   */
  enableAudioAnalysis(opts?: { threshold?: number }): void {
    const data = this.data;
    if (!data || data.getAudioTracks().length === 0) {
      log.error('enableAudioAnalysis() - stream has no audio');
      return;
    }
    this.disableAudioAnalysis();
    const t = opts?.threshold;
    const level = typeof t === 'number' && Number.isFinite(t) && t >= 0 ? Math.min(t, 255) : DEFAULT_ANALYSIS_THRESHOLD;
    const detector = new ActiveSpeakerDetector(data, level);
    detector.on('level', (amplitude) => {
      // Released: the analysis ends with the media.
      if (this.data !== data) this.disableAudioAnalysis();
      else this.emit('audioAmplitude', amplitude);
    });
    detector.on('change', (change) => this.emit('audioAmplitudeInfo', change));
    this.#analysis = detector;
  }

  /** Stops the analysis (no-op when none runs). */
  disableAudioAnalysis(): void {
    this.#analysis?.close();
    this.#analysis = null;
  }
}
