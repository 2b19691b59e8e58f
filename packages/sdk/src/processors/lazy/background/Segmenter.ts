import type { Results, SelfieSegmentation } from '@mediapipe/selfie_segmentation';

type SegmentationCtor = new (config: { locateFile: (file: string) => string }) => SelfieSegmentation;

/** What the model reads: a page canvas or an off-screen one. */
export type SegmenterInput = HTMLCanvasElement | OffscreenCanvas;

/** The package is a classic script that defines `SelfieSegmentation` on the global object. */
let scriptLoad: Promise<SegmentationCtor> | undefined;

function loadScript(url: string): Promise<SegmentationCtor> {
  const existing = (globalThis as { SelfieSegmentation?: SegmentationCtor }).SelfieSegmentation;
  if (existing) return Promise.resolve(existing);
  scriptLoad ??= new Promise<SegmentationCtor>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.crossOrigin = 'anonymous';
    script.onload = () => {
      const ctor = (globalThis as { SelfieSegmentation?: SegmentationCtor }).SelfieSegmentation;
      if (ctor) resolve(ctor);
      else reject(new Error('the segmentation script defined no SelfieSegmentation'));
    };
    script.onerror = () => reject(new Error(`cannot load ${url}`));
    document.head.appendChild(script);
  }).catch((e: unknown) => {
    scriptLoad = undefined;
    throw e;
  });
  return scriptLoad;
}

/**
 * MediaPipe selfie segmentation, with its wasm, graph and model read from `<baseUrl>mediapipe/`
 * (the SDK's own origin): `locateFile` is the loader's only way to find them, so nothing is asked
 * of the vendor's CDN. Runs on the page: the package's worker path does not work (docs/sdk.md).
 */
export class Segmenter {
  readonly #model: SelfieSegmentation;
  #pending: ((mask: CanvasImageSource) => void) | undefined;

  private constructor(model: SelfieSegmentation) {
    this.#model = model;
    model.onResults((results: Results) => {
      this.#pending?.(results.segmentationMask);
    });
  }

  /** A segmenter no processor uses any more, kept for the next: loading the model takes seconds. */
  static #idle: Segmenter | undefined;

  /** Loads the script, wasm and model (the landscape model: 256×144, the fastest of the two). */
  static async create(baseUrl: string): Promise<Segmenter> {
    const idle = Segmenter.#idle;
    if (idle) {
      Segmenter.#idle = undefined;
      return idle;
    }
    const dir = new URL('mediapipe/', baseUrl).href;
    const Ctor = await loadScript(`${dir}selfie_segmentation.js`);
    const model = new Ctor({ locateFile: (file: string) => `${dir}${file}` });
    model.setOptions({ modelSelection: 1, selfieMode: false });
    await model.initialize();
    return new Segmenter(model);
  }

  /**
   * The person mask of `image` (alpha = person confidence). The mask is only valid until the
   * next call: the caller copies it or draws it before segmenting again.
   */
  async segment(image: SegmenterInput): Promise<CanvasImageSource> {
    let mask: CanvasImageSource | undefined;
    this.#pending = (m) => {
      mask = m;
    };
    // The results callback runs inside send(): once it resolved, the mask is there or never comes.
    // The loader uploads any canvas into its GL texture; its types only list page elements.
    await this.#model.send({ image: image as HTMLCanvasElement });
    this.#pending = undefined;
    if (!mask) throw new Error('segmentation produced no mask');
    return mask;
  }

  /**
   * Done with it: kept for the next processor (one per page), or, when one is already kept, the
   * wasm heap and GL context are freed.
   */
  close(): Promise<void> {
    this.#pending = undefined;
    if (!Segmenter.#idle) {
      Segmenter.#idle = this;
      return Promise.resolve();
    }
    return this.#model.close();
  }
}
