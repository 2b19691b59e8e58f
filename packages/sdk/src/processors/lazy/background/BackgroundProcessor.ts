import type { Background } from './BackgroundCompositor.js';
import { CanvasPipeline } from './CanvasPipeline.js';
import type { SegmentationStats } from './SegmentationSchedule.js';
import { WorkerPipeline, type Pipeline } from './WorkerPipeline.js';

/** Events of a background processor, named as the Stream events apps listen to. */
export interface BackgroundProcessorEvents {
  /** Segmentation paused (`visible: false`) or resumed because the page was hidden or shown. */
  backgroundSubstractionStopVisibilityChange: { visible: boolean };
  /** Segmentation is too slow for this machine; `meanComputeTimeMs` over the last frames. */
  backgroundSubstractionStopComputeTime: { meanComputeTimeMs: number };
}

export type BackgroundEventSink = <K extends keyof BackgroundProcessorEvents>(name: K, payload: BackgroundProcessorEvents[K]) => void;

/** Counters for tests and benchmarks (from the worker: as of its last report, about once a second). */
export type BackgroundProcessorStats = SegmentationStats & { mode: 'worker' | 'page' };

/** Loads an image for the background, decoded once; rejects when it cannot be decoded. */
export async function loadBackgroundImage(url: string): Promise<ImageBitmap> {
  const img = new Image();
  // The output becomes a MediaStream: a cross-origin image without CORS would taint the canvas.
  img.crossOrigin = 'anonymous';
  img.src = url;
  await img.decode();
  return createImageBitmap(img);
}

/**
 * Replaces the background of a video track: every source frame is composited (so the output keeps
 * the source's frame rate) with the latest person mask, while segmentation runs on a downscaled
 * copy at a lower rate. In workers where the browser can move frames there (WorkerPipeline),
 * otherwise on the page (CanvasPipeline).
 */
export class BackgroundProcessor {
  readonly output: MediaStreamTrack;
  readonly #pipeline: Pipeline;
  readonly #mode: 'worker' | 'page';
  readonly #emit: BackgroundEventSink;
  #hidden: boolean;
  #closed = false;
  readonly #onVisibility = (): void => this.#visibilityChanged();

  private constructor(pipeline: Pipeline, mode: 'worker' | 'page', emit: BackgroundEventSink) {
    this.#pipeline = pipeline;
    this.#mode = mode;
    this.#emit = emit;
    this.output = pipeline.output;
    this.#hidden = document.visibilityState === 'hidden';
    pipeline.setHidden(this.#hidden);
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  /** Loads the model (first use), then starts processing `input`; `warn` logs a fallback to the page. */
  static async create(
    input: MediaStreamTrack,
    baseUrl: string,
    background: Background,
    emit: BackgroundEventSink,
    warn: (message: string, e: unknown) => void,
  ): Promise<BackgroundProcessor> {
    const onSlow = (meanComputeTimeMs: number): void => emit('backgroundSubstractionStopComputeTime', { meanComputeTimeMs });
    if (WorkerPipeline.supported()) {
      try {
        return new BackgroundProcessor(await WorkerPipeline.start(input, baseUrl, background, onSlow), 'worker', emit);
      } catch (e) {
        // Workers blocked (CSP), streams not transferable, or the model failed in a worker: the
        // page can still do it all, more slowly.
        warn('background processing falls back to the page', e);
      }
    }
    return new BackgroundProcessor(await CanvasPipeline.start(input, baseUrl, background, onSlow), 'page', emit);
  }

  /** Switches between blur and image without a new track (the published stream stays the same). */
  setBackground(background: Background): void {
    this.#pipeline.setBackground(background);
  }

  stats(): BackgroundProcessorStats {
    return { ...this.#pipeline.stats(), mode: this.#mode };
  }

  /** Stops the frames, the output track and the model; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#pipeline.close();
  }

  #visibilityChanged(): void {
    const hidden = document.visibilityState === 'hidden';
    if (hidden === this.#hidden) return;
    this.#hidden = hidden;
    this.#pipeline.setHidden(hidden);
    this.#emit('backgroundSubstractionStopVisibilityChange', { visible: !hidden });
  }
}
