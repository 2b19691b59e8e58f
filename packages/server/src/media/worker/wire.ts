import type { SfuOptions } from '../MediaConfig.js';

export type { MediaWorkerCommand, MediaWorkerEvent, MediaWorkerTrack } from '@parley/protocol';
/** SFU options as they travel to a worker (plain JSON). */
export type SfuOptionsWire = SfuOptions;
