/**
 * How long a subscriber's loss report counts: longer than Chromium's longest audio RTCP interval
 * (5 s × a random 0.5–1.5, so up to 7.5 s), so the publisher is not told "no loss" between two
 * reports of a lossy subscriber.
 */
export const DOWNSTREAM_LOSS_WINDOW_MS = 10_000;

/**
 * The worst packet loss the subscribers of one published track reported for it lately, as the
 * RFC 3550 fraction-lost byte (loss × 256). The SFU's receiver report to the publisher carries
 * this instead of the publisher leg's own loss when it is higher: Chromium sizes Opus in-band FEC
 * from the loss its receiver reports announce, and without this a publisher on a clean link would
 * never add FEC for a subscriber on a lossy one (the SFU terminates RTCP per leg).
 */
export class DownstreamLoss {
  #fraction = 0;
  #at = -Infinity;

  /** A subscriber reported `fraction` (0–255) for its copy of the track at `now` (ms). */
  note(fraction: number, now: number): void {
    if (now - this.#at > DOWNSTREAM_LOSS_WINDOW_MS || fraction >= this.#fraction) {
      this.#fraction = fraction;
      this.#at = now;
    }
  }

  /** The worst fraction reported within the window before `now`, 0 when none is recent. */
  current(now: number): number {
    return now - this.#at > DOWNSTREAM_LOSS_WINDOW_MS ? 0 : this.#fraction;
  }
}
