import type { Background } from './BackgroundCompositor.js';
import { MaskService } from './MaskService.js';
import type { SegmentationStats } from './SegmentationSchedule.js';
import { Segmenter } from './Segmenter.js';
import type { FromWorker, ToWorker } from './workerMessages.js';

type ProcessorCtor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => { readable: ReadableStream<VideoFrame> };
type GeneratorCtor = new (init: { kind: 'video' }) => MediaStreamTrack & { writable: WritableStream<VideoFrame> };

const WORKER_FILE = 'parley-processors-worker.js';
/**
 * Camera frames the processor queues for the worker. Chromium's default keeps one and drops the
 * next when the worker is late by a frame (descheduled, or the frame that recomputes the blur):
 * measured ~1 frame a second lost at 30 fps on a quiet 2-core machine. A few frames of slack let
 * it catch up instead; it only adds delay while it is behind.
 */
const FRAME_QUEUE = 3;
/** How long close() waits for the worker to release its streams before terminating it. */
const CLOSE_GRACE_MS = 1000;

/** The page's handle on a background pipeline (this one, or the page-only CanvasPipeline). */
export interface Pipeline {
  readonly output: MediaStreamTrack;
  setBackground(background: Background): void;
  setHidden(hidden: boolean): void;
  stats(): SegmentationStats;
  close(): void;
}

/**
 * A worker running the SDK's worker script from `baseUrl`. A worker must come from the page's
 * origin: when the SDK is served from another one, a same-origin blob worker imports the script
 * (classic workers may import scripts from anywhere).
 */
function spawn(baseUrl: string): Worker {
  const url = new URL(WORKER_FILE, baseUrl);
  if (url.origin === location.origin) return new Worker(url, { name: 'parley-background' });
  const boot = new Blob([`importScripts(${JSON.stringify(url.href)});`], { type: 'text/javascript' });
  const blobUrl = URL.createObjectURL(boot);
  try {
    return new Worker(blobUrl, { name: 'parley-background' });
  } finally {
    URL.revokeObjectURL(blobUrl);
  }
}

/** Resolves on the worker's `ready`, rejects on its `error` message or a script error. */
function ready(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.type === 'ready') resolve();
      if (e.data.type === 'error') reject(new Error(e.data.message));
    };
    worker.onerror = (e) => reject(new Error(e.message || 'the background worker failed to start'));
  });
}

function send(worker: Worker, message: ToWorker, transfer: Transferable[] = []): void {
  worker.postMessage(message, transfer);
}

/**
 * Background replacement with the per-frame work off the page's main thread (Chromium): the
 * camera track's frames (MediaStreamTrackProcessor) and the output track's sink
 * (MediaStreamTrackGenerator) are streams transferred to a compositing worker, which draws every
 * frame with the latest mask. The model stays on the page (MaskService), fed a 256×144 frame at
 * most 12 times a second by the worker; the page also relays visibility and background changes.
 */
export class WorkerPipeline implements Pipeline {
  readonly output: MediaStreamTrack;
  readonly #compositor: Worker;
  readonly #masks: MaskService;
  #stats: SegmentationStats = { framesIn: 0, framesOut: 0, segmentations: 0, meanSegmentationMs: 0 };
  #closed = false;

  private constructor(output: MediaStreamTrack, compositor: Worker, masks: MaskService, onSlow: (meanComputeTimeMs: number) => void) {
    this.output = output;
    this.#compositor = compositor;
    this.#masks = masks;
    compositor.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'stats') this.#stats = m.stats;
      if (m.type === 'slow') onSlow(m.meanComputeTimeMs);
    };
  }

  /** True where frames can be handed to a worker (the transfer itself is tried in start()). */
  static supported(): boolean {
    const g = globalThis as { MediaStreamTrackProcessor?: unknown; MediaStreamTrackGenerator?: unknown };
    return typeof g.MediaStreamTrackProcessor === 'function' && typeof g.MediaStreamTrackGenerator === 'function' && typeof Worker === 'function';
  }

  /** Loads the model, starts the worker and hands it the frames; rejects if any step fails. */
  static async start(input: MediaStreamTrack, baseUrl: string, background: Background, onSlow: (meanComputeTimeMs: number) => void): Promise<WorkerPipeline> {
    const g = globalThis as unknown as { MediaStreamTrackProcessor: ProcessorCtor; MediaStreamTrackGenerator: GeneratorCtor };
    const channel = new MessageChannel();
    const masks = new MaskService(await Segmenter.create(baseUrl), channel.port1);
    let compositor: Worker | undefined;
    let generator: (MediaStreamTrack & { writable: WritableStream<VideoFrame> }) | undefined;
    try {
      compositor = spawn(baseUrl);
      const { readable } = new g.MediaStreamTrackProcessor({ track: input, maxBufferSize: FRAME_QUEUE });
      generator = new g.MediaStreamTrackGenerator({ kind: 'video' });
      const compositorReady = ready(compositor);
      // Throws a DataCloneError where streams cannot be transferred: the caller falls back.
      const transfer = [readable, generator.writable, channel.port2];
      send(compositor, { type: 'compositor', readable, writable: generator.writable, background, port: channel.port2 }, transfer);
      await compositorReady;
      return new WorkerPipeline(generator, compositor, masks, onSlow);
    } catch (e: unknown) {
      generator?.stop();
      compositor?.terminate();
      masks.close();
      throw e;
    }
  }

  setBackground(background: Background): void {
    send(this.#compositor, { type: 'background', background });
  }

  setHidden(hidden: boolean): void {
    send(this.#compositor, { type: 'hidden', hidden });
  }

  stats(): SegmentationStats {
    return { ...this.#stats };
  }

  /** Stops the output track, the worker (once it let go of its streams) and the model; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.output.stop();
    this.#masks.close();
    const worker = this.#compositor;
    const timer = setTimeout(() => worker.terminate(), CLOSE_GRACE_MS);
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.type !== 'closed') return;
      clearTimeout(timer);
      worker.terminate();
    };
    send(worker, { type: 'close' });
  }
}
