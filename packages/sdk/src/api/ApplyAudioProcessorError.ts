import type { Stream } from './Stream.js';

/** Rejection value of `stream.applyAudioProcessor()` (docs/sdk-reference.md#stream): which processor and stream are in effect. */
export class ApplyAudioProcessorError extends Error {
  /** Processor actually in effect after the failure. */
  readonly appliedAudioProcessorType: 'none' | 'noiseReduction';
  /** Stream to keep using after the failure. */
  readonly stream: Stream;

  constructor(message: string, appliedAudioProcessorType: 'none' | 'noiseReduction', stream: Stream) {
    super(message);
    this.name = 'ApplyAudioProcessorError';
    this.appliedAudioProcessorType = appliedAudioProcessorType;
    this.stream = stream;
  }

  /** Empty list: errors emit no events (kept for a uniform class surface). */
  static getAvailableEvents(): string[] {
    return [];
  }
}
