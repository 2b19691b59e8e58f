import type { Background } from './BackgroundCompositor.js';
import type { SegmentationStats } from './SegmentationSchedule.js';

/**
 * Messages between the page and the two background workers (one composites every frame, one
 * segments), and between the two workers over their own MessageChannel. Both workers run the
 * same script (`parley-processors-worker.js`); the first message tells each its role.
 */
export type ToWorker =
  | { type: 'segmenter'; baseUrl: string; port: MessagePort }
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

/** Compositor → segmenter: a downscaled frame; segmenter → compositor: its mask (null: none). */
export interface SegmentRequest {
  image: ImageBitmap;
}
export interface SegmentResult {
  mask: ImageBitmap | null;
}
