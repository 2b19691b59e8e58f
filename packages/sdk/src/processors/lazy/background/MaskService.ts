import { MODEL_HEIGHT, MODEL_WIDTH } from './modelSize.js';
import type { Segmenter } from './Segmenter.js';
import type { SegmentRequest, SegmentResult } from './workerMessages.js';

/**
 * Answers the compositing worker's segmentation requests on the page: MediaPipe's model runs
 * here (its worker path does not work, docs/sdk.md), on the downscaled frames the worker sends at
 * most 12 times a second, one at a time, while every frame's compositing stays in the worker.
 */
export class MaskService {
  readonly #segmenter: Segmenter;
  readonly #port: MessagePort;
  /** The frame as a canvas: MediaPipe uploads canvases the right way up (ImageBitmaps it would flip). */
  readonly #input = Object.assign(document.createElement('canvas'), { width: MODEL_WIDTH, height: MODEL_HEIGHT });
  #closed = false;

  constructor(segmenter: Segmenter, port: MessagePort) {
    this.#segmenter = segmenter;
    this.#port = port;
    port.onmessage = (e: MessageEvent<SegmentRequest>) => void this.#segment(e.data.image);
  }

  /** Stops answering and hands the model back (kept for the next processor); idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.close();
    void this.#segmenter.close().catch(() => undefined);
  }

  async #segment(image: ImageBitmap): Promise<void> {
    let reply: SegmentResult = { mask: null };
    try {
      const ctx = this.#input.getContext('2d');
      if (!ctx) throw new Error('no 2D canvas context');
      ctx.drawImage(image, 0, 0, MODEL_WIDTH, MODEL_HEIGHT);
      // The mask is the model's canvas, valid until the next run: copied before answering.
      reply = { mask: await createImageBitmap(await this.#segmenter.segment(this.#input)) };
    } catch {
      // No mask this time: the compositor keeps the previous one and asks again later.
    } finally {
      image.close();
    }
    if (this.#closed) {
      reply.mask?.close();
      return;
    }
    this.#port.postMessage(reply, reply.mask ? [reply.mask] : []);
  }
}
