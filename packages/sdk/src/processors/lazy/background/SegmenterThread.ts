import { MODEL_HEIGHT, MODEL_WIDTH } from './modelSize.js';
import { Segmenter } from './Segmenter.js';
import type { SegmentRequest, SegmentResult } from './workerMessages.js';

/**
 * The segmentation worker's side: MediaPipe's wasm and WebGL (on an OffscreenCanvas) run here,
 * so a segmentation that takes tens of milliseconds blocks neither the page nor the compositing
 * worker. It answers each frame the compositor sends with the person mask, one at a time.
 */
export class SegmenterThread {
  readonly #segmenter: Segmenter;
  readonly #port: MessagePort;
  readonly #alpha = new OffscreenCanvas(MODEL_WIDTH, MODEL_HEIGHT);
  readonly #alphaCtx: OffscreenCanvasRenderingContext2D;
  #closed = false;

  private constructor(segmenter: Segmenter, port: MessagePort) {
    this.#segmenter = segmenter;
    this.#port = port;
    const ctx = this.#alpha.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas context');
    this.#alphaCtx = ctx;
    port.onmessage = (e: MessageEvent<SegmentRequest>) => void this.#segment(e.data.image);
  }

  /** Loads the model (seconds on first use); resolves once it can segment. */
  static async start(baseUrl: string, port: MessagePort): Promise<SegmenterThread> {
    return new SegmenterThread(await Segmenter.create(baseUrl), port);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#port.close();
    return this.#segmenter.close();
  }

  /**
   * The mask with the person confidence in alpha, as the compositor uses it. In a worker MediaPipe
   * renders into an opaque WebGL context (alpha: false): the confidence is in the red channel.
   * 256×144 pixels: well under a millisecond.
   */
  #toAlpha(mask: CanvasImageSource): ImageBitmap {
    const ctx = this.#alphaCtx;
    ctx.globalCompositeOperation = 'copy';
    ctx.drawImage(mask, 0, 0, MODEL_WIDTH, MODEL_HEIGHT);
    if (mask instanceof ImageBitmap) mask.close();
    const image = ctx.getImageData(0, 0, MODEL_WIDTH, MODEL_HEIGHT);
    const px = image.data;
    for (let i = 0; i < px.length; i += 4) px[i + 3] = px[i]!;
    ctx.putImageData(image, 0, 0);
    return this.#alpha.transferToImageBitmap();
  }

  async #segment(image: ImageBitmap): Promise<void> {
    let reply: SegmentResult = { mask: null };
    try {
      const mask = await this.#segmenter.segment(image);
      reply = { mask: this.#toAlpha(mask) };
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
