import type { Stream } from './Stream.js';

/** Rejection value of `stream.applyVideoProcessor()` (docs/sdk-reference.md#stream): which processor and stream are in effect. */
export class ApplyVideoProcessorError extends Error {
  /** Processor actually in effect after the failure. */
  readonly appliedVideoProcessorType: 'none' | 'blur' | 'backgroundImage';
  /** Stream to keep using after the failure. */
  readonly stream: Stream;

  constructor(message: string, appliedVideoProcessorType: 'none' | 'blur' | 'backgroundImage', stream: Stream) {
    super(message);
    this.name = 'ApplyVideoProcessorError';
    this.appliedVideoProcessorType = appliedVideoProcessorType;
    this.stream = stream;
  }

  /** Empty list: errors emit no events (kept for a uniform class surface). */
  static getAvailableEvents(): string[] {
    return [];
  }
}
