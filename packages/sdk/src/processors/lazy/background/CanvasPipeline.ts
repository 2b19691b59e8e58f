import { BackgroundCompositor, canvas, context2d, type Background } from './BackgroundCompositor.js';
import { MODEL_HEIGHT, MODEL_WIDTH } from './modelSize.js';
import { FrameSource, type SourceFrame } from './FrameSource.js';
import { SegmentationSchedule, type SegmentationStats } from './SegmentationSchedule.js';
import { Segmenter } from './Segmenter.js';
import type { Pipeline } from './WorkerPipeline.js';

/**
 * Background replacement on the page's main thread, where frames cannot be handed to a worker
 * (no MediaStreamTrackProcessor/Generator, or streams not transferable): frames come from
 * FrameSource, the output is a page canvas's capture track, and segmentation runs on this thread
 * too, rate-limited by SegmentationSchedule so compositing keeps at least two thirds of it.
 */
export class CanvasPipeline implements Pipeline {
  readonly output: MediaStreamTrack;
  readonly #segmenter: Segmenter;
  readonly #compositor: BackgroundCompositor;
  readonly #schedule = new SegmentationSchedule();
  readonly #source: FrameSource;
  readonly #onSlow: (meanComputeTimeMs: number) => void;
  readonly #modelInput = canvas(MODEL_WIDTH, MODEL_HEIGHT);
  readonly #mask = canvas(MODEL_WIDTH, MODEL_HEIGHT);
  #hasMask = false;
  #hidden = false;
  #closed = false;

  private constructor(input: MediaStreamTrack, segmenter: Segmenter, background: Background, onSlow: (meanComputeTimeMs: number) => void) {
    this.#segmenter = segmenter;
    this.#onSlow = onSlow;
    const out = Object.assign(document.createElement('canvas'), { width: 640, height: 480 });
    this.#compositor = new BackgroundCompositor(out);
    this.#compositor.background = background;
    const track = out.captureStream().getVideoTracks()[0];
    if (!track) throw new Error('canvas capture produced no track');
    this.output = track;
    this.#source = new FrameSource(input, (frame) => this.#frame(frame));
  }

  static async start(input: MediaStreamTrack, baseUrl: string, background: Background, onSlow: (meanComputeTimeMs: number) => void): Promise<CanvasPipeline> {
    return new CanvasPipeline(input, await Segmenter.create(baseUrl), background, onSlow);
  }

  setBackground(background: Background): void {
    this.#compositor.background = background;
  }

  setHidden(hidden: boolean): void {
    this.#hidden = hidden;
  }

  stats(): SegmentationStats {
    return { ...this.#schedule.stats };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#source.stop();
    this.output.stop();
    void this.#segmenter.close().catch(() => undefined);
  }

  #frame(frame: SourceFrame): void {
    if (this.#closed) return;
    const stats = this.#schedule.stats;
    stats.framesIn++;
    this.#compositor.draw(frame.image, frame.width, frame.height, this.#hasMask ? this.#mask : null);
    stats.framesOut++;
    // Reads the RGB copy of this frame the compositor just made: the mask applies from the next frame.
    const now = performance.now();
    if (!this.#hidden && this.#schedule.due(now)) this.#segment(now);
  }

  #segment(now: number): void {
    this.#schedule.started(now);
    context2d(this.#modelInput).drawImage(this.#compositor.frame, 0, 0, MODEL_WIDTH, MODEL_HEIGHT);
    let ok = false;
    this.#segmenter
      .segment(this.#modelInput)
      .then((mask) => {
        if (this.#closed) return;
        const ctx = context2d(this.#mask);
        ctx.globalCompositeOperation = 'copy';
        ctx.drawImage(mask, 0, 0, MODEL_WIDTH, MODEL_HEIGHT);
        this.#hasMask = ok = true;
      })
      .catch(() => undefined)
      .finally(() => {
        const slow = this.#schedule.finished(performance.now(), ok);
        if (slow !== undefined && !this.#closed) this.#onSlow(slow);
      });
  }
}
