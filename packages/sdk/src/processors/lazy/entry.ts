/**
 * The processors module (`/sdk/processors/parley-processors.mjs`), loaded by the SDK on the first
 * `applyAudioProcessor` / `applyVideoProcessor`, so the core bundle carries none of it: neither
 * the pipelines nor the linking of processed child streams. Its worker, worklet, wasm and model
 * files sit next to it; `baseUrl` is that folder. The core hands over its {@link ProcessorHost}.
 */
import type { AudioProcessorType, ProcessorHost, VideoProcessorOptions, VideoProcessorType } from '../../api/stream/ProcessorHost.js';
import type { Stream } from '../../api/Stream.js';
import type { NoiseIntensity } from './NoiseFilter.js';
import { StreamProcessors } from './streams/StreamProcessors.js';

export type { BackgroundProcessorEvents, BackgroundProcessorStats } from './background/BackgroundProcessor.js';

/** `stream.applyAudioProcessor()` and the noise reduction helpers, once the module is loaded. */
export function applyAudio(host: ProcessorHost, stream: Stream, type: AudioProcessorType, intensity: NoiseIntensity, baseUrl: string): Promise<Stream> {
  return StreamProcessors.of(stream, host).applyAudio(type, intensity, baseUrl);
}

/** `stream.applyVideoProcessor()` and the blur/background helpers, once the module is loaded. */
export function applyVideo(
  host: ProcessorHost,
  stream: Stream,
  type: VideoProcessorType,
  opts: VideoProcessorOptions | undefined,
  baseUrl: string,
): Promise<Stream> {
  return StreamProcessors.of(stream, host).applyVideo(type, opts, baseUrl);
}
