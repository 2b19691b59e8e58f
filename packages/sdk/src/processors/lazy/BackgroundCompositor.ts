/** What replaces the background: a blur of the frame itself, or an image. */
export type Background = { kind: 'blur' } | { kind: 'image'; image: HTMLImageElement };

/** The blurred background is the frame shrunk by this factor, softened, and scaled back up. */
const BLUR_DOWNSCALE = 8;

function canvas(width: number, height: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

function context2d(c: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = c.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  return ctx;
}

/**
 * Draws output frames: the person (where the mask is opaque) over the chosen background. Canvas
 * 2D only, so it also runs where WebGL is software-emulated. A Gaussian blur of a full frame
 * costs tens of milliseconds on a CPU; blurring a frame shrunk 8× and scaling it back up gives the
 * same look for a small fraction of it.
 */
export class BackgroundCompositor {
  readonly output: HTMLCanvasElement;
  readonly #ctx: CanvasRenderingContext2D;
  readonly #small: HTMLCanvasElement;
  readonly #smallCtx: CanvasRenderingContext2D;
  background: Background = { kind: 'blur' };

  constructor() {
    this.output = canvas(640, 480);
    this.#ctx = context2d(this.output);
    this.#small = canvas(80, 60);
    this.#smallCtx = context2d(this.#small);
  }

  /**
   * One output frame. `mask` is the latest person mask (any size, alpha = person), or null while
   * none was computed yet: then only the background is drawn, never the unprocessed frame.
   */
  draw(frame: CanvasImageSource, width: number, height: number, mask: CanvasImageSource | null): void {
    const out = this.output;
    if (out.width !== width || out.height !== height) {
      out.width = width;
      out.height = height;
      this.#small.width = Math.max(1, Math.round(width / BLUR_DOWNSCALE));
      this.#small.height = Math.max(1, Math.round(height / BLUR_DOWNSCALE));
    }
    const ctx = this.#ctx;
    if (mask) {
      ctx.globalCompositeOperation = 'copy';
      ctx.drawImage(mask, 0, 0, width, height);
      ctx.globalCompositeOperation = 'source-in';
      ctx.drawImage(frame, 0, 0, width, height);
      ctx.globalCompositeOperation = 'destination-over';
    } else {
      ctx.globalCompositeOperation = 'copy';
    }
    this.#drawBackground(frame, width, height);
    ctx.globalCompositeOperation = 'source-over';
  }

  #drawBackground(frame: CanvasImageSource, width: number, height: number): void {
    const ctx = this.#ctx;
    if (this.background.kind === 'image') {
      const img = this.background.image;
      // "cover": fill the frame, keep the image's proportions, crop what overflows.
      const scale = Math.max(width / img.naturalWidth, height / img.naturalHeight);
      const w = img.naturalWidth * scale;
      const h = img.naturalHeight * scale;
      ctx.drawImage(img, (width - w) / 2, (height - h) / 2, w, h);
      return;
    }
    const small = this.#small;
    this.#smallCtx.filter = 'blur(2px)';
    this.#smallCtx.drawImage(frame, 0, 0, small.width, small.height);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'low';
    ctx.drawImage(small, 0, 0, width, height);
  }
}
