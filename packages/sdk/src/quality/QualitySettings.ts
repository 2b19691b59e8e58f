import { Emitter } from '../util/Emitter.js';
import { DEFAULT_SPEAKER_THRESHOLD } from './SpeakingState.js';

/** Default and smallest `enableCallStatsMonitoring` interval, in ms (apiRTC's). */
export const DEFAULT_STATS_INTERVAL_MS = 5_000;
export const MIN_STATS_INTERVAL_MS = 1_000;

/** Events of {@link QualitySettings}. */
export interface QualitySettingsEvents {
  /** Speaker detection or stats monitoring was turned on, off or reconfigured. */
  change: [];
}

/**
 * Client-wide switches of speaker detection and call statistics (`userAgent.enable…`), which
 * every joined conversation follows, including those joined before the switch.
 */
export class QualitySettings extends Emitter<QualitySettingsEvents> {
  activeSpeaker = { enabled: false, threshold: DEFAULT_SPEAKER_THRESHOLD };
  callStats = { enabled: false, interval: DEFAULT_STATS_INTERVAL_MS };

  setActiveSpeaker(enabled: boolean, threshold: number): void {
    this.activeSpeaker = { enabled, threshold };
    this.emit('change');
  }

  setCallStats(enabled: boolean, interval: number): void {
    this.callStats = { enabled, interval };
    this.emit('change');
  }
}
