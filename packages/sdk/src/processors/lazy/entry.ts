/**
 * The processors module (`/sdk/processors/parley-processors.mjs`), loaded by the SDK on the first
 * `applyAudioProcessor` / `applyVideoProcessor`, so the core bundle carries none of it. Its
 * worklet, wasm and model files sit next to it; `baseUrl` is that folder.
 */
export { NoiseFilter, type NoiseIntensity } from './NoiseFilter.js';
export {
  BackgroundProcessor,
  loadBackgroundImage,
  type BackgroundEventSink,
  type BackgroundProcessorEvents,
  type BackgroundProcessorStats,
} from './BackgroundProcessor.js';
export type { Background } from './BackgroundCompositor.js';
