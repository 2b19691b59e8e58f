import { loadProcessors, processorsBaseUrl } from '../../processors/loadProcessors.js';
import type { Stream } from '../Stream.js';
import {
  CREATE_CHILD,
  PROCESSORS,
  processorHost,
  type AudioProcessorType,
  type ProcessorHooks,
  type VideoProcessorOptions,
  type VideoProcessorType,
} from './ProcessorHost.js';
import { StreamData } from './StreamData.js';

export type { AudioProcessorType, VideoProcessorOptions, VideoProcessorType } from './ProcessorHost.js';

/**
 * The processor members of a {@link Stream} (docs/sdk.md#audio-and-video-processors): apiRTC's
 * current ones and its older helpers. A thin stub: the processors module, loaded on first use,
 * holds the pipelines and the linking of child streams (its state then sits in
 * `this[PROCESSORS]`, which Stream calls on release and enable/disable). `'none'` on a stream no
 * processor touched resolves the stream itself without loading anything.
 */
export abstract class ProcessedStream extends StreamData {
  [PROCESSORS]?: ProcessorHooks;

  /** A local Stream of the same owner around processed media (Stream knows how to build one). */
  abstract [CREATE_CHILD](media: MediaStream): Stream;

  /** Noise reduction child stream, or the base stream back with `'none'` (docs/sdk.md#audio-and-video-processors). */
  applyAudioProcessor(audioProcessorType: AudioProcessorType): Promise<Stream> {
    return this.#audio(audioProcessorType, 'hard');
  }

  /** Blurred or replaced background child stream, or the base stream back with `'none'`. */
  applyVideoProcessor(videoProcessorType: VideoProcessorType, opts?: VideoProcessorOptions): Promise<Stream> {
    const self = this as unknown as Stream;
    if (videoProcessorType === 'none' && !this[PROCESSORS]) return Promise.resolve(self);
    return loadProcessors().then(
      (mod) => mod.applyVideo(processorHost, self, videoProcessorType, opts, processorsBaseUrl()),
      (e: unknown) =>
        Promise.reject(processorHost.videoError(`applyVideoProcessor() - the processors module failed to load: ${String(e)}`, self.videoAppliedFilter, self)),
    );
  }

  /** Noise reduction; 'soft' and 'medium' keep part of the unfiltered signal (default 'hard': none). */
  startNoiseReduction(intensity: 'soft' | 'medium' | 'hard' = 'hard'): Promise<Stream> {
    return this.#audio('noiseReduction', intensity);
  }

  /** Stops the noise filter; resolves the base stream. */
  stopNoiseReduction(): Promise<Stream> {
    return this.#audio('none', 'hard');
  }

  /** Older helper (P2): blurred background. */
  blur(): Promise<Stream> {
    return this.applyVideoProcessor('blur');
  }

  /** Older helper (P2): back to the base stream. */
  unblur(): Promise<Stream> {
    return this.applyVideoProcessor('none');
  }

  /** Older helper (P2): background replacement. */
  backgroundImage(imageUrl: string): Promise<Stream> {
    return this.applyVideoProcessor('backgroundImage', { backgroundImageUrl: imageUrl });
  }

  /** Older helper (P2): remove the background replacement. */
  unBackgroundImage(): Promise<Stream> {
    return this.applyVideoProcessor('none');
  }

  #audio(type: AudioProcessorType, intensity: 'soft' | 'medium' | 'hard'): Promise<Stream> {
    const self = this as unknown as Stream;
    if (type === 'none' && !this[PROCESSORS]) return Promise.resolve(self);
    return loadProcessors().then(
      (mod) => mod.applyAudio(processorHost, self, type, intensity, processorsBaseUrl()),
      (e: unknown) =>
        Promise.reject(processorHost.audioError(`applyAudioProcessor() - the processors module failed to load: ${String(e)}`, self.audioAppliedFilter, self)),
    );
  }
}
