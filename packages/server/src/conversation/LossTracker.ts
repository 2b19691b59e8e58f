/** Thresholds of the mesh → SFU switch. */
export interface SwitchPolicyConfig {
  /** Most participants a mesh room keeps; one more moves it to SFU. */
  meshMaxParticipants: number;
  /** Received loss ratio above which a quality report counts as bad. */
  lossThreshold: number;
  /** Consecutive bad reports of one participant that move the room to SFU. */
  lossReports: number;
}

/** Defaults from docs/protocol.md: a fifth participant, or > 10 % loss three reports in a row. */
export const DEFAULT_SWITCH_POLICY: SwitchPolicyConfig = { meshMaxParticipants: 4, lossThreshold: 0.1, lossReports: 3 };

/** Whether a mesh room that is not mesh-only must move to SFU once it has `participants`. */
export function tooManyForMesh(participants: number, policy: SwitchPolicyConfig): boolean {
  return participants > policy.meshMaxParticipants;
}

/**
 * Counts one participant's consecutive bad loss reports. A single good report resets the
 * streak: only sustained loss justifies moving everybody's media.
 */
export class LossTracker {
  readonly #policy: SwitchPolicyConfig;
  #streak = 0;

  constructor(policy: SwitchPolicyConfig) {
    this.#policy = policy;
  }

  /** Current number of consecutive bad reports. */
  get streak(): number {
    return this.#streak;
  }

  /** Records a report; returns true when the streak reached the switch threshold. */
  report(lossRatio: number): boolean {
    this.#streak = lossRatio > this.#policy.lossThreshold ? this.#streak + 1 : 0;
    return this.#streak >= this.#policy.lossReports;
  }

  reset(): void {
    this.#streak = 0;
  }
}
