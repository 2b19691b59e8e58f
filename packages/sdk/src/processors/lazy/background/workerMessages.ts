import type { Background } from './BackgroundCompositor.js';
import type { SegmentationStats } from './SegmentationSchedule.js';

/**
 * Messages between the page and the compositing worker (`parley-processors-worker.js`), and over
 * the MessageChannel between that worker and the page's MaskService.
 */
export type ToWorker =
  | { type: 'compositor'; readable: ReadableStream<VideoFrame>; writable: WritableStream<VideoFrame>; background: Background; port: MessagePort }
  | { type: 'background'; background: Background }
  | { type: 'hidden'; hidden: boolean }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  | { type: 'slow'; meanComputeTimeMs: number }
  | { type: 'stats'; stats: SegmentationStats }
  | { type: 'closed' };

/** Worker → MaskService: a downscaled frame; MaskService → worker: its mask (alpha = person; null: none). */
export interface SegmentRequest {
  image: ImageBitmap;
}
export interface SegmentResult {
  mask: ImageBitmap | null;
}
