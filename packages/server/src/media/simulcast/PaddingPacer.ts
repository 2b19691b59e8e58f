import { PADDING_PACKET_SIZE } from '../rtp/RtpRewriter.js';

/** Padding goes out in bursts at most this often, ms (each burst starts a rewriter segment). */
const MIN_GAP_MS = 100;
/** Longest gap counted at once, ms: after a pause the probe resumes, it does not catch up. */
const MAX_GAP_MS = 400;
/** Most padding packets in one burst (about 27 kB). */
const MAX_BURST = 100;

/**
 * How many padding-only packets a probe owes now: its rate times the time since the last burst,
 * in whole packets, the remainder carried over. Asked at the end of each forwarded frame, so
 * bursts follow frames and never split one.
 */
export class PaddingPacer {
  #due = 0;
  #at = 0;

  /** Packets to send at `now` for a probe at `rate` bit/s (0: no probe, the debt is dropped). */
  owed(rate: number, now: number): number {
    if (rate <= 0) {
      this.#due = 0;
      this.#at = now;
      return 0;
    }
    const elapsed = now - this.#at;
    if (elapsed < MIN_GAP_MS) return 0;
    this.#at = now;
    this.#due += ((rate / 8) * Math.min(elapsed, MAX_GAP_MS)) / 1000;
    const count = Math.min(MAX_BURST, Math.floor(this.#due / PADDING_PACKET_SIZE));
    this.#due -= count * PADDING_PACKET_SIZE;
    return count;
  }
}
