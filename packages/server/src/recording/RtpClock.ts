/**
 * RTP timestamps of one source made relative to its first packet and unwrapped past 2^32, so a
 * capture file's time 0 is its first written packet.
 */
export class RtpClock {
  #first = -1;
  #last = 0;
  #elapsed = 0;

  get started(): boolean {
    return this.#first >= 0;
  }

  /** Ticks since the first timestamp given. */
  since(ts: number): number {
    if (this.#first < 0) {
      this.#first = ts >>> 0;
      this.#last = ts >>> 0;
      return 0;
    }
    const step = (ts - this.#last) | 0; // signed 32-bit difference: wrap and reordering
    if (step > 0) {
      this.#elapsed += step;
      this.#last = ts >>> 0;
      return this.#elapsed;
    }
    return this.#elapsed + step;
  }
}
