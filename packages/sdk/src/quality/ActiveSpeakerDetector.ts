import { Emitter } from '../util/Emitter.js';
import { AudioLevelMeter } from './AudioLevelMeter.js';
import { SpeakingState, type SpeakingChange } from './SpeakingState.js';

/** Sampling period of the level (apiRTC: 100 ms). */
export const SPEAKER_SAMPLE_MS = 100;

/** Events of an {@link ActiveSpeakerDetector}. */
export interface ActiveSpeakerDetectorEvents {
  /** Every sample: the level, 0..255. */
  level: [amplitude: number];
  /** The stream started or stopped speaking (hysteresis of {@link SpeakingState}). */
  change: [change: SpeakingChange];
}

/**
 * Speaker detection on one local MediaStream: samples its audio level every 100 ms and reports
 * the speaking transitions. Owned by whoever created it; `close()` stops the timer and the nodes.
 */
export class ActiveSpeakerDetector extends Emitter<ActiveSpeakerDetectorEvents> {
  readonly #meter: AudioLevelMeter;
  readonly #state: SpeakingState;
  readonly #timer: ReturnType<typeof setInterval>;
  #closed = false;

  /** `level`: the 0..255 level above which the stream speaks (see `speakingLevel`). */
  constructor(stream: MediaStream, level: number) {
    super();
    this.#meter = new AudioLevelMeter(stream);
    this.#state = new SpeakingState(level);
    this.#timer = setInterval(() => this.#sample(), SPEAKER_SAMPLE_MS);
  }

  /** Whether the stream is speaking now. */
  get speaking(): boolean {
    return this.#state.speaking;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#meter.close();
    this.removeAllListeners();
  }

  #sample(): void {
    const amplitude = Math.round(this.#meter.level() * 100) / 100;
    this.emit('level', amplitude);
    const change = this.#state.sample(amplitude, performance.now());
    if (change) this.emit('change', change);
  }
}
