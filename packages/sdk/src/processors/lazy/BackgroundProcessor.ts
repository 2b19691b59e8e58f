import { BackgroundCompositor, type Background } from './BackgroundCompositor.js';
import { FrameSource, type SourceFrame } from './FrameSource.js';
import { Segmenter } from './Segmenter.js';

/** Events of a background processor, named as the Stream events apps listen to. */
export interface BackgroundProcessorEvents {
  /** Segmentation paused (`visible: false`) or resumed because the page was hidden or shown. */
  backgroundSubstractionStopVisibilityChange: { visible: boolean };
  /** Segmentation is too slow for this machine; `meanComputeTimeMs` over the last frames. */
  backgroundSubstractionStopComputeTime: { meanComputeTimeMs: number };
}

export type BackgroundEventSink = <K extends keyof BackgroundProcessorEvents>(name: K, payload: BackgroundProcessorEvents[K]) => void;

/** Counters for tests and benchmarks. */
export interface BackgroundProcessorStats {
  framesIn: number;
  framesOut: number;
  segmentations: number;
  meanSegmentationMs: number;
}

/** The model's input size (the landscape model takes 256×144). */
const MODEL_WIDTH = 256;
const MODEL_HEIGHT = 144;
/** Above this mean segmentation time the masks lag visibly behind the person. */
const SLOW_SEGMENTATION_MS = 250;
const SLOW_WINDOW = 30;

/** Loads an image for the background; rejects when it cannot be decoded. */
export async function loadBackgroundImage(url: string): Promise<HTMLImageElement> {
  const img = new Image();
  // The output canvas becomes a MediaStream: a cross-origin image without CORS would taint it.
  img.crossOrigin = 'anonymous';
  img.src = url;
  await img.decode();
  return img;
}

/**
 * Replaces the background of a video track: every source frame is composited (so the output keeps
 * the source's frame rate) with the latest person mask, while segmentation runs on a downscaled
 * copy as often as the machine allows. The output is a canvas capture track.
 */
export class BackgroundProcessor {
  readonly output: MediaStreamTrack;
  readonly #segmenter: Segmenter;
  readonly #compositor = new BackgroundCompositor();
  readonly #source: FrameSource;
  readonly #emit: BackgroundEventSink;
  readonly #modelInput: HTMLCanvasElement;
  readonly #mask: HTMLCanvasElement;
  #hasMask = false;
  #segmenting = false;
  /** End and duration of the last segmentation (performance.now() ms), for the duty cycle. */
  #lastEnd = 0;
  #lastDuration = 0;
  #hidden = false;
  #slowReported = false;
  #closed = false;
  readonly #recent: number[] = [];
  readonly #stats: BackgroundProcessorStats = { framesIn: 0, framesOut: 0, segmentations: 0, meanSegmentationMs: 0 };
  readonly #onVisibility = (): void => this.#visibilityChanged();

  private constructor(input: MediaStreamTrack, segmenter: Segmenter, background: Background, emit: BackgroundEventSink) {
    this.#segmenter = segmenter;
    this.#emit = emit;
    this.#compositor.background = background;
    this.#modelInput = Object.assign(document.createElement('canvas'), { width: MODEL_WIDTH, height: MODEL_HEIGHT });
    this.#mask = Object.assign(document.createElement('canvas'), { width: MODEL_WIDTH, height: MODEL_HEIGHT });
    const track = this.#compositor.output.captureStream().getVideoTracks()[0];
    if (!track) throw new Error('canvas capture produced no track');
    this.output = track;
    this.#hidden = document.visibilityState === 'hidden';
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#source = new FrameSource(input, (frame) => this.#frame(frame));
  }

  /** Loads the model (first use) and the background image, then starts processing `input`. */
  static async create(input: MediaStreamTrack, baseUrl: string, background: Background, emit: BackgroundEventSink): Promise<BackgroundProcessor> {
    const segmenter = await Segmenter.create(baseUrl);
    return new BackgroundProcessor(input, segmenter, background, emit);
  }

  /** Switches between blur and image without a new track (the published stream stays the same). */
  setBackground(background: Background): void {
    this.#compositor.background = background;
  }

  stats(): BackgroundProcessorStats {
    return { ...this.#stats };
  }

  /** Stops the frames, the output track and the model; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#source.stop();
    this.output.stop();
    void this.#segmenter.close().catch(() => undefined);
  }

  #frame(frame: SourceFrame): void {
    if (this.#closed) return;
    this.#stats.framesIn++;
    this.#compositor.draw(frame.image, frame.width, frame.height, this.#hasMask ? this.#mask : null);
    this.#stats.framesOut++;
    // Segmentation runs on this thread (MediaPipe's wasm and WebGL): after a run of d ms, wait d ms
    // before the next, so at least half of the time is left to compositing every frame. On a slow
    // machine the mask updates less often; the output keeps the source's frame rate. It reads the
    // RGB copy of this frame the compositor just made, so the mask applies from the next frame.
    const now = performance.now();
    if (!this.#segmenting && !this.#hidden && now - this.#lastEnd >= this.#lastDuration) this.#segment(this.#compositor.frame);
  }

  #segment(frame: HTMLCanvasElement): void {
    this.#segmenting = true;
    const ctx = this.#modelInput.getContext('2d');
    if (!ctx) {
      this.#segmenting = false;
      return;
    }
    ctx.drawImage(frame, 0, 0, MODEL_WIDTH, MODEL_HEIGHT);
    const started = performance.now();
    this.#segmenter
      .segment(this.#modelInput)
      .then((mask) => {
        if (this.#closed) return;
        const maskCtx = this.#mask.getContext('2d');
        if (!maskCtx) return;
        maskCtx.globalCompositeOperation = 'copy';
        maskCtx.drawImage(mask, 0, 0, MODEL_WIDTH, MODEL_HEIGHT);
        this.#hasMask = true;
        this.#timed(performance.now() - started);
      })
      .catch(() => undefined)
      .finally(() => {
        this.#segmenting = false;
        this.#lastEnd = performance.now();
        this.#lastDuration = this.#lastEnd - started;
      });
  }

  #timed(ms: number): void {
    const s = this.#stats;
    s.meanSegmentationMs = (s.meanSegmentationMs * s.segmentations + ms) / (s.segmentations + 1);
    s.segmentations++;
    this.#recent.push(ms);
    if (this.#recent.length > SLOW_WINDOW) this.#recent.shift();
    if (this.#slowReported || this.#recent.length < SLOW_WINDOW) return;
    const mean = this.#recent.reduce((a, b) => a + b, 0) / this.#recent.length;
    if (mean > SLOW_SEGMENTATION_MS) {
      this.#slowReported = true;
      this.#emit('backgroundSubstractionStopComputeTime', { meanComputeTimeMs: Math.round(mean) });
    }
  }

  #visibilityChanged(): void {
    const hidden = document.visibilityState === 'hidden';
    if (hidden === this.#hidden) return;
    this.#hidden = hidden;
    this.#emit('backgroundSubstractionStopVisibilityChange', { visible: !hidden });
  }
}
