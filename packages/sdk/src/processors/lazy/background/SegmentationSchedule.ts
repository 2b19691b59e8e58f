/**
 * Segmentation is capped at this rate: the mask of a still-ish person barely changes in 83 ms.
 * 15/s cost ~50 % of a core in the GPU process alone with software WebGL (SwiftShader) and held
 * blur just under 30 fps on a quiet 2-core machine; 12/s takes a fifth off that.
 */
const MAX_RATE_HZ = 12;
/**
 * After a run of d ms the next starts at least this × d ms after it started: segmentation takes
 * at most a third of the thread it runs on. A half (2×) let software-rendered segmentation take
 * ~45 % of the page's main thread on a 2-core machine at 15/s, starving compositing and the rest
 * of the page; at a third a ~29 ms run is repeated ~11 times a second.
 */
const SPACING = 3;
/** Above this mean segmentation time the masks lag visibly behind the person. */
const SLOW_SEGMENTATION_MS = 250;
const SLOW_WINDOW = 30;

/** Counters for tests and benchmarks. */
export interface SegmentationStats {
  framesIn: number;
  framesOut: number;
  segmentations: number;
  meanSegmentationMs: number;
}

/**
 * When the next segmentation may start, and whether segmentation became too slow. Compositing
 * runs on every frame and reuses the latest mask (what production blur does); segmentation runs
 * at most {@link MAX_RATE_HZ} times a second and, after a run of d ms, starts again {@link SPACING}
 * × d ms after that run started, so it never takes more than a third of the thread (or core) it
 * runs on, however slow the machine.
 */
export class SegmentationSchedule {
  readonly stats: SegmentationStats = { framesIn: 0, framesOut: 0, segmentations: 0, meanSegmentationMs: 0 };
  #busy = false;
  #lastStart = Number.NEGATIVE_INFINITY;
  #lastDuration = 0;
  #slowReported = false;
  readonly #recent: number[] = [];

  /** True when a segmentation may start at `now` (performance.now() ms). */
  due(now: number): boolean {
    return !this.#busy && now - this.#lastStart >= Math.max(1000 / MAX_RATE_HZ, SPACING * this.#lastDuration);
  }

  started(now: number): void {
    this.#busy = true;
    this.#lastStart = now;
  }

  /**
   * The segmentation started last ended; `ok` when it produced a mask. Returns the mean time of
   * the last runs the first time it exceeds the slow threshold (to report once), else undefined.
   */
  finished(now: number, ok: boolean): number | undefined {
    this.#busy = false;
    const ms = now - this.#lastStart;
    this.#lastDuration = ms;
    if (!ok) return undefined;
    const s = this.stats;
    s.meanSegmentationMs = (s.meanSegmentationMs * s.segmentations + ms) / (s.segmentations + 1);
    s.segmentations++;
    this.#recent.push(ms);
    if (this.#recent.length > SLOW_WINDOW) this.#recent.shift();
    if (this.#slowReported || this.#recent.length < SLOW_WINDOW) return undefined;
    const mean = this.#recent.reduce((a, b) => a + b, 0) / this.#recent.length;
    if (mean <= SLOW_SEGMENTATION_MS) return undefined;
    this.#slowReported = true;
    return Math.round(mean);
  }
}
