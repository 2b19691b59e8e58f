import { NO_AUDIO_LEVEL, readAudioLevel } from './audioLevel.js';

/** RFC 6464 silence: what a window without any level reads as. */
const SILENCE = 127;

/**
 * Mean RFC 6464 audio level of one published audio track over a window: fed once per packet
 * (a read in place and two additions, no allocation), read and reset once per window by the
 * room's dominant speaker detection.
 */
export class AudioLevelMeter {
  /** Negotiated id of the audio level header extension (1–255). */
  readonly extId: number;
  #sum = 0;
  #count = 0;

  constructor(extId: number) {
    this.extId = extId;
  }

  /** Hot path: adds the level of this RTP packet, if it carries one. */
  add(packet: Uint8Array): void {
    const level = readAudioLevel(packet, this.extId);
    if (level === NO_AUDIO_LEVEL) return;
    this.#sum += level;
    this.#count++;
  }

  /** Mean level (-dBov, 0 loudest … 127 silence) since the last call, 127 when none arrived; then resets. */
  take(): number {
    const level = this.#count === 0 ? SILENCE : this.#sum / this.#count;
    this.#sum = 0;
    this.#count = 0;
    return level;
  }
}
