/** What replaces the background: a blur of the frame itself, or an image (decoded once). */
export type Background = { kind: 'blur' } | { kind: 'image'; image: ImageBitmap };

/** A canvas on the page (its capture is the fallback's output track) or off screen (workers). */
export type AnyCanvas = HTMLCanvasElement | OffscreenCanvas;
type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** The blurred background is the frame shrunk by this factor and scaled back up with smoothing. */
const BLUR_DOWNSCALE = 16;
/**
 * The blurred background is recomputed on every this-many frames and reused in between: at 30 fps
 * it follows the scene at 15 fps, which a 16× blur hides (nothing sharp moves in it), and it saves
 * the two shrinking draws and the smoothed full-size enlargement on every other frame.
 */
const BLUR_EVERY_FRAMES = 2;

/** An off-screen canvas where the browser has them (workers have no document), else a page one. */
export function canvas(width: number, height: number): AnyCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  return Object.assign(document.createElement('canvas'), { width, height });
}

export function context2d(c: AnyCanvas): Context2D {
  // Checked without naming HTMLCanvasElement, which does not exist in a worker.
  const ctx = typeof OffscreenCanvas !== 'undefined' && c instanceof OffscreenCanvas ? c.getContext('2d') : (c as HTMLCanvasElement).getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  return ctx;
}

/**
 * Draws output frames: the person (where the mask is opaque) over the chosen background. Canvas
 * 2D only, so it also runs where WebGL is software-emulated. A canvas `filter: blur()` costs tens
 * of milliseconds per frame in a software-rendered canvas (measured: blur held half the frame rate
 * of a background image); shrinking the frame 16× and scaling it back up with smoothing gives a
 * comparable blur for the price of three drawImage calls, on every other frame (the result is
 * reused in between). Runs in the compositing worker, or on the page where frames cannot be
 * moved to a worker.
 */
export class BackgroundCompositor {
  readonly output: AnyCanvas;
  readonly #ctx: Context2D;
  /** The frame converted once to RGB: a VideoFrame drawn several times would be converted each time. */
  readonly #rgb: AnyCanvas;
  readonly #rgbCtx: Context2D;
  readonly #mid: AnyCanvas;
  readonly #midCtx: Context2D;
  readonly #small: AnyCanvas;
  readonly #smallCtx: Context2D;
  /**
   * The background at full size, drawn as is on each frame: the image scaled once (until the
   * background or the size changes), the blur recomputed every {@link BLUR_EVERY_FRAMES} frames.
   */
  readonly #backdrop: AnyCanvas;
  readonly #backdropCtx: Context2D;
  /** Frames since the backdrop was drawn (modulo BLUR_EVERY_FRAMES for blur); 0: draw it now. */
  #backdropAge = 0;
  #background: Background = { kind: 'blur' };

  /** `output`: where frames are drawn (a page canvas when its capture is the output track). */
  constructor(output: AnyCanvas = canvas(640, 480)) {
    this.output = output;
    this.#ctx = context2d(this.output);
    this.#rgb = canvas(640, 480);
    this.#rgbCtx = context2d(this.#rgb);
    this.#mid = canvas(160, 120);
    this.#midCtx = context2d(this.#mid);
    this.#small = canvas(40, 30);
    this.#smallCtx = context2d(this.#small);
    this.#backdrop = canvas(640, 480);
    this.#backdropCtx = context2d(this.#backdrop);
  }

  get background(): Background {
    return this.#background;
  }

  set background(background: Background) {
    this.#background = background;
    this.#backdropAge = 0;
  }

  /** The current frame as RGB (valid until the next {@link draw}), e.g. to feed the segmenter. */
  get frame(): AnyCanvas {
    return this.#rgb;
  }

  /**
   * One output frame. `mask` is the latest person mask (any size, alpha = person), or null while
   * none was computed yet: then only the background is drawn, never the unprocessed frame.
   */
  draw(source: CanvasImageSource, width: number, height: number, mask: CanvasImageSource | null): void {
    const out = this.output;
    if (out.width !== width || out.height !== height) {
      out.width = this.#rgb.width = this.#backdrop.width = width;
      out.height = this.#rgb.height = this.#backdrop.height = height;
      this.#backdropAge = 0;
      this.#mid.width = Math.max(1, Math.round((width * 4) / BLUR_DOWNSCALE));
      this.#mid.height = Math.max(1, Math.round((height * 4) / BLUR_DOWNSCALE));
      this.#small.width = Math.max(1, Math.round(width / BLUR_DOWNSCALE));
      this.#small.height = Math.max(1, Math.round(height / BLUR_DOWNSCALE));
    }
    this.#rgbCtx.drawImage(source, 0, 0, width, height);
    const frame = this.#rgb;
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
    const background = this.#background;
    if (this.#backdropAge === 0) {
      if (background.kind === 'image') this.#cover(background.image, width, height);
      else this.#blur(frame, width, height);
    }
    // An image stays until the background or the size changes (which reset the age to 0).
    this.#backdropAge = background.kind === 'image' ? 1 : (this.#backdropAge + 1) % BLUR_EVERY_FRAMES;
    this.#ctx.drawImage(this.#backdrop, 0, 0);
  }

  /** "cover": fills the frame, keeps the image's proportions, crops what overflows. */
  #cover(img: ImageBitmap, width: number, height: number): void {
    const ctx = this.#backdropCtx;
    const scale = Math.max(width / img.width, height / img.height);
    const w = img.width * scale;
    const h = img.height * scale;
    ctx.globalCompositeOperation = 'copy';
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(img, (width - w) / 2, (height - h) / 2, w, h);
  }

  #blur(frame: CanvasImageSource, width: number, height: number): void {
    // Shrunk in two 4× bilinear steps: one 16× step would skip most pixels and shimmer.
    const small = this.#small;
    this.#midCtx.drawImage(frame, 0, 0, this.#mid.width, this.#mid.height);
    this.#smallCtx.drawImage(this.#mid, 0, 0, small.width, small.height);
    const ctx = this.#backdropCtx;
    ctx.globalCompositeOperation = 'copy';
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(small, 0, 0, width, height);
  }
}
