import { writeU32 as put32 } from './RtpPacket.js';
import { seqDiff } from './sequence.js';

/**
 * Reception statistics of one inbound RTP stream, enough for a receiver report block
 * (RFC 3550 §6.4.1, algorithms of §A.1 and §A.3). Jitter is not computed (reported as 0): it
 * would need a clock read per packet.
 */
export class ReceiveStatistics {
  #initialized = false;
  #baseSeq = 0;
  #maxSeq = 0;
  #cycles = 0;
  #received = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  /** Middle 32 bits of the NTP timestamp of the last sender report (LSR), 0 if none. */
  #lastSrNtp = 0;
  /** performance.now() at the arrival of the last sender report, ms. */
  #lastSrAt = 0;

  /** Counts one received packet. Called per packet: a few integer operations. */
  update(seq: number): void {
    if (!this.#initialized) {
      this.#initialized = true;
      this.#baseSeq = seq;
      this.#maxSeq = seq;
      this.#received = 1;
      return;
    }
    this.#received++;
    const delta = seqDiff(seq, this.#maxSeq);
    if (delta > 0) {
      if (seq < this.#maxSeq) this.#cycles += 0x10000; // wrapped
      this.#maxSeq = seq;
    }
  }

  /** Notes a sender report: `ntpMiddle` is the middle 32 bits of its NTP timestamp. */
  onSenderReport(ntpMiddle: number, now: number = performance.now()): void {
    this.#lastSrNtp = ntpMiddle >>> 0;
    this.#lastSrAt = now;
  }

  /** Packets received so far. */
  get received(): number {
    return this.#received;
  }

  /** Extended highest sequence number received (cycles × 2^16 + max). */
  get extendedHighestSeq(): number {
    return this.#cycles + this.#maxSeq;
  }

  /** Cumulative number of packets lost (expected − received, may be negative with duplicates). */
  get cumulativeLost(): number {
    if (!this.#initialized) return 0;
    return this.extendedHighestSeq - this.#baseSeq + 1 - this.#received;
  }

  /**
   * Writes a 24-byte report block for `ssrc` at `off` (RFC 3550 §6.4.1) and starts a new
   * fraction-lost interval. Returns false when nothing was received yet.
   */
  writeReportBlock(buf: Uint8Array, off: number, ssrc: number, now: number = performance.now()): boolean {
    if (!this.#initialized) return false;
    const extMax = this.extendedHighestSeq;
    const expected = extMax - this.#baseSeq + 1;
    const expectedInterval = expected - this.#expectedPrior;
    const receivedInterval = this.#received - this.#receivedPrior;
    this.#expectedPrior = expected;
    this.#receivedPrior = this.#received;
    const lostInterval = expectedInterval - receivedInterval;
    const fraction = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.min(255, Math.floor((lostInterval << 8) / expectedInterval));
    // Cumulative lost is a signed 24-bit field, clamped (RFC 3550 §6.4.1).
    const lost = Math.max(-0x800000, Math.min(0x7fffff, expected - this.#received));
    const dlsr = this.#lastSrNtp === 0 ? 0 : Math.min(0xffffffff, Math.round(((now - this.#lastSrAt) / 1000) * 65536));
    put32(buf, off, ssrc);
    buf[off + 4] = fraction;
    buf[off + 5] = lost >> 16;
    buf[off + 6] = lost >> 8;
    buf[off + 7] = lost;
    put32(buf, off + 8, extMax);
    put32(buf, off + 12, 0); // interarrival jitter: not computed
    put32(buf, off + 16, this.#lastSrNtp);
    put32(buf, off + 20, dlsr);
    return true;
  }
}
