/** What {@link NackBudget.take} decided about one NACKed packet. */
export const NackVerdict = {
  /** Retransmit it (one token spent). */
  SEND: 0,
  /** The same packet was retransmitted less than the repeat window ago: ignore. */
  REPEAT: 1,
  /** No token left: refuse. */
  OVER_BUDGET: 2,
} as const;
export type NackVerdict = (typeof NackVerdict)[keyof typeof NackVerdict];

/** Entries of the table of recent retransmissions (a power of two). */
const RECENT_SLOTS = 256;

/**
 * The retransmission budget of one subscriber connection. A NACK names up to 17 packets per
 * 4-byte entry (PID + a 16-bit mask), so without a bound one small RTCP packet from a subscriber
 * makes the SFU send hundreds of media packets: an amplification anyone can use.
 *
 * Token bucket in packets, refilled by what is forwarded rather than by time: every packet
 * forwarded to the subscriber earns `ratio` retransmissions, up to `burst` banked. So a receiver
 * can at most add `ratio` of its own stream as retransmissions, whatever its NACKs say, and an
 * idle stream earns nothing. Repeats of a packet already retransmitted within `repeatWindowMs`
 * are ignored without spending: Chromium re-NACKs only after an RTT, faster repeats are noise or abuse.
 *
 * Per forwarded packet: one add and one compare. The repeat table is allocated at the first NACK.
 */
export class NackBudget {
  readonly #ratio: number;
  readonly #burst: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #tokens: number;
  #keys: Int32Array | null = null;
  #times: Float64Array | null = null;

  /**
   * @param ratio retransmissions earned per forwarded packet (0–1)
   * @param burst most tokens banked (and the initial amount)
   * @param repeatWindowMs repeats within this many ms are ignored (0: never)
   * @param now clock in ms (injected by tests)
   */
  constructor(ratio: number, burst: number, repeatWindowMs: number, now: () => number = () => performance.now()) {
    this.#ratio = ratio;
    this.#burst = burst;
    this.#windowMs = repeatWindowMs;
    this.#now = now;
    this.#tokens = burst;
  }

  /** Retransmissions available now (fractional). */
  get tokens(): number {
    return this.#tokens;
  }

  /** One packet was forwarded to the subscriber. Hot path. */
  earn(): void {
    const t = this.#tokens + this.#ratio;
    this.#tokens = t > this.#burst ? this.#burst : t;
  }

  /** Decides whether to retransmit packet `seq` of the output stream `ssrc`; spends a token when it says SEND. */
  take(ssrc: number, seq: number): NackVerdict {
    const key = ((ssrc & 0x7fff) << 16) | (seq & 0xffff);
    const slot = (seq ^ (ssrc >>> 16)) & (RECENT_SLOTS - 1);
    const now = this.#windowMs > 0 ? this.#now() : 0;
    if (this.#windowMs > 0 && this.#keys !== null && this.#keys[slot] === key && now - this.#times![slot]! < this.#windowMs) {
      return NackVerdict.REPEAT;
    }
    if (this.#tokens < 1) return NackVerdict.OVER_BUDGET;
    this.#tokens -= 1;
    if (this.#windowMs > 0) {
      this.#keys ??= new Int32Array(RECENT_SLOTS).fill(-1);
      this.#times ??= new Float64Array(RECENT_SLOTS);
      this.#keys[slot] = key;
      this.#times[slot] = now;
    }
    return NackVerdict.SEND;
  }
}
