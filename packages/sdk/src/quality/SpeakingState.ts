/** apiRTC's default speaker threshold: a fraction of the 0..255 analyser scale. */
export const DEFAULT_SPEAKER_THRESHOLD = 0.4;

/** How long no sample may exceed the level before a stream counts as silent again (apiRTC: 1 s). */
export const SILENCE_HOLD_MS = 1_000;

/** A change of speaking state, as `audioAmplitude` reports it. */
export interface SpeakingChange {
  amplitude: number;
  isSpeaking: boolean;
}

/**
 * The analyser level (0..255) a `threshold` option stands for: apiRTC reads it as a fraction of
 * the scale (default 0.4, about 102); Parley reads a value above 1 as the level itself, because
 * apiRTC's guide shows `{threshold: 50}`, which a fraction could never reach.
 */
export function speakingLevel(threshold: number | undefined): number {
  const t = typeof threshold === 'number' && threshold > 0 && Number.isFinite(threshold) ? threshold : DEFAULT_SPEAKER_THRESHOLD;
  return t > 1 ? Math.min(t, 255) : 255 * t;
}

/**
 * Hysteresis of speaker detection for one stream: speaking starts as soon as a sample exceeds
 * the level, and ends only when none did for {@link SILENCE_HOLD_MS}. Only the two transitions are
 * reported, so a stream yields at most one start and one end per hold period, never a flood,
 * however often it is sampled and however the level flickers around the threshold.
 */
export class SpeakingState {
  readonly level: number;
  readonly #holdMs: number;
  #speaking = false;
  #lastLoud = -Infinity;

  constructor(level: number, holdMs = SILENCE_HOLD_MS) {
    this.level = level;
    this.#holdMs = holdMs;
  }

  get speaking(): boolean {
    return this.#speaking;
  }

  /** Feeds one sample taken at `now` (ms); returns the change it causes, if any. */
  sample(amplitude: number, now: number): SpeakingChange | null {
    if (amplitude > this.level) {
      this.#lastLoud = now;
      if (this.#speaking) return null;
      this.#speaking = true;
      return { amplitude, isSpeaking: true };
    }
    if (this.#speaking && now - this.#lastLoud >= this.#holdMs) {
      this.#speaking = false;
      return { amplitude, isSpeaking: false };
    }
    return null;
  }
}
