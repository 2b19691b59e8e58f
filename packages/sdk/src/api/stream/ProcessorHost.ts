import { log } from '../../util/Logger.js';
import { ApplyAudioProcessorError } from '../ApplyAudioProcessorError.js';
import { ApplyVideoProcessorError } from '../ApplyVideoProcessorError.js';
import { EMIT } from '../internal.js';
import type { Stream } from '../Stream.js';

export type AudioProcessorType = 'none' | 'noiseReduction';
export type VideoProcessorType = 'none' | 'blur' | 'backgroundImage';
export interface VideoProcessorOptions {
  backgroundImageUrl?: string;
}

/** What the Stream tells the processor state linked to it (set once a processor touched it). */
export interface ProcessorHooks {
  /** The stream's tracks of `kind` were enabled or disabled: the linked streams follow. */
  mirrorEnabled(kind: 'audio' | 'video', enabled: boolean): void;
  /** The stream was released: its children go too, and a child stops its pipeline. */
  released(): void;
}

/** `stream[PROCESSORS]`: the hooks of its processor state, if any; `stream[CREATE_CHILD](media)`: a local Stream of the same owner. */
export const PROCESSORS: unique symbol = Symbol('parley.streamProcessors');
export const CREATE_CHILD: unique symbol = Symbol('parley.createChild');

/** A Stream as seen from here: Stream.ts defines the two symbol members (this module cannot import it). */
interface HostedStream {
  [PROCESSORS]?: ProcessorHooks;
  [CREATE_CHILD](media: MediaStream): Stream;
}

/**
 * What the lazily loaded processors module needs of the core SDK, handed to it on each call: it
 * is a separate bundle, so it cannot import the Stream class, the error classes apps test with
 * `instanceof`, or the symbols of internal members — its own copies would be different ones.
 */
export const processorHost = {
  createChild: (parent: Stream, media: MediaStream): Stream => (parent as unknown as HostedStream)[CREATE_CHILD](media),
  link: (stream: Stream, hooks: ProcessorHooks): void => {
    (stream as unknown as HostedStream)[PROCESSORS] = hooks;
  },
  emit: (stream: Stream, event: 'backgroundSubstractionStopVisibilityChange' | 'backgroundSubstractionStopComputeTime', data: object): void => {
    stream[EMIT](event, data);
  },
  audioError: (message: string, applied: AudioProcessorType, stream: Stream): Error => new ApplyAudioProcessorError(message, applied, stream),
  videoError: (message: string, applied: VideoProcessorType, stream: Stream): Error => new ApplyVideoProcessorError(message, applied, stream),
  warn: (message: string, e: unknown): void => log.warn(message, e),
};

export type ProcessorHost = typeof processorHost;
