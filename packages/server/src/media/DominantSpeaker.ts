import { Emitter, type ListenerErrorSink } from '../util/Emitter.js';

/** Silence in RFC 6464 terms: -127 dBov, the quietest level the extension can say. */
export const SILENCE_LEVEL = 127;

/** An audio track whose levels the detector reads once per window. */
export interface LevelSource {
  /** Mean level in -dBov (0 loudest … 127 silence) of the packets since the last call, then reset; 127 without packets. */
  takeAudioLevel(): number;
}

/** Tuning of a {@link DominantSpeaker}. */
export interface DominantSpeakerOptions {
  /** Length of one averaging window, ms. */
  windowMs: number;
  /** How long a challenger must stay clearly louder than the current speaker before it takes over, ms. */
  switchMs: number;
  /** By how many dB a challenger must beat the current speaker ("clearly louder"). */
  marginDb: number;
  /** Quietest window mean (in -dBov) that still counts as speech; quieter is silence. */
  speechLevel: number;
}

/** Defaults: 300 ms windows, 1 s to take over, 6 dB margin, speech from -60 dBov up. */
export const DEFAULT_DOMINANT_SPEAKER_OPTIONS: DominantSpeakerOptions = { windowMs: 300, switchMs: 1000, marginDb: 6, speechLevel: 60 };

/** Events of a {@link DominantSpeaker}. */
export interface DominantSpeakerEvents<S> {
  /** A new source became the dominant speaker. At most once per window. */
  dominantSpeakerChanged: [source: S];
}

/**
 * Picks the loudest audio track of a room from RFC 6464 levels, without decoding audio. Every
 * window it reads each source's mean level; the loudest one above the speech level is the
 * candidate. The first candidate is chosen at once; afterwards a candidate must stay at least
 * `marginDb` louder than the current speaker (or the current speaker must be silent) for
 * `switchMs` in a row, so a cough or a crosstalk burst does not flip the choice. When everyone is
 * silent the current speaker stays: clients keep showing the last one who spoke.
 */
export class DominantSpeaker<S extends LevelSource> extends Emitter<DominantSpeakerEvents<S>> {
  readonly #options: DominantSpeakerOptions;
  readonly #sources: () => Iterable<S>;
  #current: S | null = null;
  #challenger: S | null = null;
  /** Consecutive windows the challenger has been ahead. */
  #challengerWindows = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  /** @param sources the room's current audio tracks, read every window. */
  constructor(sources: () => Iterable<S>, options: Partial<DominantSpeakerOptions> = {}, errorSink?: ListenerErrorSink) {
    super(errorSink);
    this.#sources = sources;
    this.#options = { ...DEFAULT_DOMINANT_SPEAKER_OPTIONS, ...options };
  }

  /** The current dominant speaker, or null before anyone spoke (or after it left). */
  get current(): S | null {
    return this.#current;
  }

  /** Starts reading levels every `windowMs`. Idempotent; the timer does not keep the process alive. */
  start(): void {
    if (this.#closed || this.#timer !== null) return;
    this.#timer = setInterval(() => this.tick(), this.#options.windowMs);
    this.#timer.unref();
  }

  /** A source ended: it stops being the speaker or the challenger (no event: the next speaker will say). */
  remove(source: S): void {
    if (this.#current === source) this.#current = null;
    if (this.#challenger === source) {
      this.#challenger = null;
      this.#challengerWindows = 0;
    }
  }

  /** @internal One window: read every level, maybe change the speaker. Called by the timer; tests call it directly. */
  tick(): void {
    if (this.#closed) return;
    const { speechLevel, marginDb, switchMs, windowMs } = this.#options;
    let best: S | null = null;
    let bestLevel = SILENCE_LEVEL + 1;
    let currentLevel = SILENCE_LEVEL;
    for (const s of this.#sources()) {
      const level = s.takeAudioLevel(); // read every source: each window starts afresh
      if (s === this.#current) currentLevel = level;
      if (level < bestLevel) {
        best = s;
        bestLevel = level;
      }
    }
    if (best === null || bestLevel > speechLevel || best === this.#current) {
      this.#challenger = null;
      this.#challengerWindows = 0;
      return;
    }
    if (this.#current === null) {
      this.#switchTo(best);
      return;
    }
    const clearlyLouder = currentLevel > speechLevel || currentLevel - bestLevel >= marginDb;
    if (!clearlyLouder) {
      this.#challenger = null;
      this.#challengerWindows = 0;
      return;
    }
    if (this.#challenger !== best) {
      this.#challenger = best;
      this.#challengerWindows = 0;
    }
    this.#challengerWindows++;
    if (this.#challengerWindows * windowMs >= switchMs) this.#switchTo(best);
  }

  /** Stops the timer and drops listeners. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#current = null;
    this.#challenger = null;
    this.removeAllListeners();
  }

  #switchTo(source: S): void {
    this.#current = source;
    this.#challenger = null;
    this.#challengerWindows = 0;
    this.emit('dominantSpeakerChanged', source);
  }
}
