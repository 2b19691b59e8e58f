import type { Stream } from '../Stream.js';
import { StreamData } from './StreamData.js';
import type { AudioProcessorType, StreamProcessors, VideoProcessorOptions, VideoProcessorType } from './StreamProcessors.js';

/** `stream[PROCESSORS]`: the processor state of a Stream, which its constructor builds. */
export const PROCESSORS: unique symbol = Symbol('parley.streamProcessors');

/**
 * The processor members of a {@link Stream} (docs/sdk.md#audio-and-video-processors): apiRTC's
 * current ones and its older helpers, all handing over to the stream's {@link StreamProcessors}.
 * Kept apart from Stream, which builds that state and links it to its own life (release,
 * enable/disable).
 */
export abstract class ProcessedStream extends StreamData {
  protected abstract readonly [PROCESSORS]: StreamProcessors;

  /** Noise reduction child stream, or the base stream back with `'none'` (docs/sdk.md#audio-and-video-processors). */
  applyAudioProcessor(audioProcessorType: AudioProcessorType): Promise<Stream> {
    return this[PROCESSORS].applyAudio(audioProcessorType);
  }

  /** Blurred or replaced background child stream, or the base stream back with `'none'`. */
  applyVideoProcessor(videoProcessorType: VideoProcessorType, opts?: VideoProcessorOptions): Promise<Stream> {
    return this[PROCESSORS].applyVideo(videoProcessorType, opts);
  }

  /** Noise reduction; 'soft' and 'medium' keep part of the unfiltered signal (default 'hard': none). */
  startNoiseReduction(intensity?: 'soft' | 'medium' | 'hard'): Promise<Stream> {
    return this[PROCESSORS].applyAudio('noiseReduction', intensity);
  }

  /** Stops the noise filter; resolves the base stream. */
  stopNoiseReduction(): Promise<Stream> {
    return this[PROCESSORS].applyAudio('none');
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
}
