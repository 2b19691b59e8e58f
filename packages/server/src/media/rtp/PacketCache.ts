import { readU16 } from './RtpPacket.js';

/**
 * A ring buffer of the last N RTP packets of one published track, indexed by sequence number,
 * to answer NACKs (RFC 4585 §6.2.1) without asking the publisher.
 *
 * One cache per *published* track, shared by all its subscribers: each subscriber maps the
 * sequence number it NACKs back to the input one (its rewriter's offset) and rewrites a copy.
 * So the cost is one memcpy per received packet whatever the number of subscribers, where a
 * per-subscriber cache (or libdatachannel's `RtcpNackResponder` on each outbound track) copies
 * once per packet per subscriber.
 *
 * Storage is one preallocated slab of `capacity × slotSize` bytes; storing never allocates.
 */
export class PacketCache {
  /** Number of packets kept (a power of two). */
  readonly capacity: number;
  /** Largest packet kept, bytes; longer packets are not cached. */
  readonly slotSize: number;

  readonly #mask: number;
  readonly #slab: Buffer;
  readonly #seqs: Int32Array;
  readonly #lengths: Uint16Array;

  constructor(capacity = 1024, slotSize = 1500) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 65536 || (capacity & (capacity - 1)) !== 0) {
      throw new TypeError('PacketCache capacity must be a power of two ≤ 65536');
    }
    this.capacity = capacity;
    this.slotSize = slotSize;
    this.#mask = capacity - 1;
    this.#slab = Buffer.allocUnsafeSlow(capacity * slotSize);
    this.#seqs = new Int32Array(capacity).fill(-1);
    this.#lengths = new Uint16Array(capacity);
  }

  /** Copies `packet` (an RTP packet, header untouched) into its slot. */
  store(packet: Buffer): void {
    const len = packet.length;
    if (len > this.slotSize) return;
    const seq = readU16(packet, 2);
    const i = seq & this.#mask;
    packet.copy(this.#slab, i * this.slotSize, 0, len);
    this.#seqs[i] = seq;
    this.#lengths[i] = len;
  }

  /** True when the packet with sequence number `seq` is still cached. */
  has(seq: number): boolean {
    return this.#seqs[seq & this.#mask] === seq;
  }

  /**
   * Copies the cached packet with sequence number `seq` into `target` (at offset 0) and returns
   * its length, or 0 when it is no longer cached (or `target` is too small).
   */
  copyTo(seq: number, target: Buffer): number {
    const i = seq & this.#mask;
    if (this.#seqs[i] !== seq) return 0;
    const len = this.#lengths[i]!;
    if (len > target.length) return 0;
    const start = i * this.slotSize;
    this.#slab.copy(target, 0, start, start + len);
    return len;
  }

  /** Forgets every packet (e.g. when the source changes SSRC). */
  clear(): void {
    this.#seqs.fill(-1);
  }
}
