import type { Results, SelfieSegmentation } from '@mediapipe/selfie_segmentation';

type SegmentationCtor = new (config: { locateFile: (file: string) => string }) => SelfieSegmentation;

/** What the model reads: the worker hands it ImageBitmaps, the page fallback a canvas. */
export type SegmenterInput = ImageBitmap | HTMLCanvasElement | OffscreenCanvas;

/** The package is a classic script that defines `SelfieSegmentation` on the global object. */
let scriptLoad: Promise<SegmentationCtor> | undefined;

/** `importScripts` of a classic worker (the DOM lib does not declare it). */
declare const importScripts: ((...urls: string[]) => void) | undefined;

function loadScript(url: string): Promise<SegmentationCtor> {
  const global = globalThis as { SelfieSegmentation?: SegmentationCtor };
  if (global.SelfieSegmentation) return Promise.resolve(global.SelfieSegmentation);
  if (typeof document === 'undefined') {
    // In a worker: MediaPipe's loader itself supports workers (importScripts + OffscreenCanvas).
    if (typeof importScripts !== 'function') return Promise.reject(new Error('segmentation needs a page or a classic worker'));
    importScripts(url);
    return global.SelfieSegmentation
      ? Promise.resolve(global.SelfieSegmentation)
      : Promise.reject(new Error('the segmentation script defined no SelfieSegmentation'));
  }
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
 * MediaPipe's worker path has two gaps: it passes a global `Module` (which it never defines) to the
 * wasm factory, so the wasm would look for its files next to the worker script, and it hands every
 * file, the .tflite model included, to importScripts. Here `Module` carries our locateFile, and
 * importScripts skips what is not a script (the wasm fetches the model itself through locateFile,
 * as on a page).
 */
function workerShims(locateFile: (file: string) => string): void {
  const g = globalThis as { Module?: object; importScripts?: (...urls: string[]) => void };
  g.Module = { locateFile };
  const load = g.importScripts;
  if (!load || (load as { parleyShim?: boolean }).parleyShim) return;
  const shim = (...urls: string[]): void => load(...urls.filter((u) => new URL(u).pathname.endsWith('.js')));
  g.importScripts = Object.assign(shim, { parleyShim: true });
}

/**
 * The third gap: on a page the loader keeps the WebGL context it uploads frames with, in a worker
 * it creates it (on its OffscreenCanvas) but never keeps it, and send() fails on the missing
 * context. The package is frozen (last release 2023, pinned): its minified field names do not move.
 */
function workerContext(model: SelfieSegmentation): void {
  const inner = (model as unknown as { h?: { K?: unknown; m?: OffscreenCanvas } }).h;
  if (!inner?.m || inner.K) return;
  inner.K = inner.m.getContext('webgl2') ?? inner.m.getContext('webgl');
  if (!inner.K) throw new Error('the segmentation model has no WebGL context in this worker');
}

/**
 * MediaPipe selfie segmentation, with its wasm, graph and model read from `<baseUrl>mediapipe/`
 * (the SDK's own origin): `locateFile` is the loader's only way to find them, so nothing is asked
 * of the vendor's CDN. Runs in the segmentation worker, or on the page in the fallback.
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
    const locateFile = (file: string): string => `${dir}${file}`;
    if (typeof document === 'undefined') workerShims(locateFile);
    const model = new Ctor({ locateFile });
    model.setOptions({ modelSelection: 1, selfieMode: false });
    await model.initialize();
    if (typeof document === 'undefined') workerContext(model);
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
    // The loader draws any image source into its GL texture; its types only list page elements.
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
