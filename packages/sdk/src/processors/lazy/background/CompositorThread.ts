import { BackgroundCompositor, canvas, context2d, type Background } from './BackgroundCompositor.js';
import { MODEL_HEIGHT, MODEL_WIDTH } from './modelSize.js';
import { SegmentationSchedule } from './SegmentationSchedule.js';
import type { FromWorker, SegmentRequest, SegmentResult } from './workerMessages.js';

const STATS_EVERY_MS = 1000;

/**
 * The compositing worker's side: reads every camera frame from the transferred
 * MediaStreamTrackProcessor stream, draws it over the background with the latest mask on an
 * OffscreenCanvas and writes the result to the transferred MediaStreamTrackGenerator stream, so
 * the page's main thread does no per-frame work. Every so often (see SegmentationSchedule) it
 * sends a downscaled copy of the frame to the segmentation worker and keeps drawing with the
 * previous mask until the new one arrives.
 */
export class CompositorThread {
  readonly #compositor = new BackgroundCompositor();
  readonly #schedule = new SegmentationSchedule();
  readonly #modelInput = canvas(MODEL_WIDTH, MODEL_HEIGHT) as OffscreenCanvas;
  readonly #reader: ReadableStreamDefaultReader<VideoFrame>;
  readonly #writer: WritableStreamDefaultWriter<VideoFrame>;
  readonly #port: MessagePort;
  readonly #post: (m: FromWorker) => void;
  #mask: ImageBitmap | null = null;
  #hidden = false;
  #closed = false;
  #statsAt = 0;

  constructor(
    init: { readable: ReadableStream<VideoFrame>; writable: WritableStream<VideoFrame>; background: Background; port: MessagePort },
    post: (m: FromWorker) => void,
  ) {
    this.#compositor.background = init.background;
    this.#reader = init.readable.getReader();
    this.#writer = init.writable.getWriter();
    this.#port = init.port;
    this.#post = post;
    this.#port.onmessage = (e: MessageEvent<SegmentResult>) => this.#masked(e.data.mask);
    this.#loop().catch((e: unknown) => {
      if (!this.#closed) post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    });
  }

  set background(background: Background) {
    this.#compositor.background = background;
  }

  /** While the page is hidden segmentation pauses (frames still flow, with the last mask). */
  set hidden(hidden: boolean) {
    this.#hidden = hidden;
  }

  /** Stops reading and writing frames; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.close();
    this.#mask?.close();
    this.#mask = null;
    await Promise.allSettled([this.#reader.cancel(), this.#writer.close()]);
  }

  async #loop(): Promise<void> {
    while (!this.#closed) {
      const { value: frame, done } = await this.#reader.read();
      if (done) return;
      try {
        if (!this.#closed) await this.#frame(frame);
      } finally {
        frame.close();
      }
    }
  }

  async #frame(frame: VideoFrame): Promise<void> {
    const stats = this.#schedule.stats;
    stats.framesIn++;
    this.#compositor.draw(frame, frame.displayWidth, frame.displayHeight, this.#mask);
    const out = new VideoFrame(this.#compositor.output, { timestamp: frame.timestamp });
    try {
      await this.#writer.write(out);
      stats.framesOut++;
    } finally {
      out.close();
    }
    const now = performance.now();
    if (!this.#hidden && this.#schedule.due(now)) this.#segment(now);
    if (now - this.#statsAt >= STATS_EVERY_MS) {
      this.#statsAt = now;
      this.#post({ type: 'stats', stats: { ...stats } });
    }
  }

  /** Sends the RGB copy of the current frame, downscaled, to the segmentation worker. */
  #segment(now: number): void {
    context2d(this.#modelInput).drawImage(this.#compositor.frame, 0, 0, MODEL_WIDTH, MODEL_HEIGHT);
    const image = this.#modelInput.transferToImageBitmap();
    this.#schedule.started(now);
    const request: SegmentRequest = { image };
    this.#port.postMessage(request, [image]);
  }

  #masked(mask: ImageBitmap | null): void {
    const slow = this.#schedule.finished(performance.now(), mask !== null);
    if (this.#closed) {
      mask?.close();
      return;
    }
    if (mask) {
      this.#mask?.close();
      this.#mask = mask;
    }
    if (slow !== undefined) this.#post({ type: 'slow', meanComputeTimeMs: slow });
  }
}
