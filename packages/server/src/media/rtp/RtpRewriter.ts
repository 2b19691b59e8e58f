import { readU32, writeU32 } from './RtpPacket.js';
import { random32, seqDiff } from './sequence.js';

/** Marks a payload type that is not forwarded (see {@link RtpRewriter.mapPayloadType}). */
const DROP = 0xff;

/**
 * Rewrites the header of forwarded RTP packets in place: SSRC, payload type, sequence number
 * and timestamp (RFC 3550 §5.1), so that one subscriber sees one continuous stream whatever the
 * source.
 *
 * Output = input + offset (mod 2^16 for sequence numbers, 2^32 for timestamps). The offsets are
 * fixed at the first packet after construction or {@link switchSource}: the first stream starts
 * at random values (RFC 3550 §5.1), a later source continues one sequence number and roughly the
 * elapsed wall-clock time after the last packet sent, so the receiver's jitter buffer and
 * decoder see no jump.
 *
 * Per packet: a table lookup, a branch and twelve byte writes. No allocation.
 */
export class RtpRewriter {
  /** Output SSRC written into every packet. */
  readonly ssrc: number;
  /** RTP clock rate of the stream, Hz (90000 video, 48000 Opus). */
  readonly clockRate: number;

  readonly #ptMap = new Uint8Array(128).fill(DROP);
  #synced = false;
  #started = false;
  #seqOffset = 0;
  #tsOffset = 0;
  #lastOutSeq = 0;
  #lastOutTs = 0;
  #switchedAt = 0;
  #firstOutSeq = 0;

  constructor(ssrc: number, clockRate: number) {
    this.ssrc = ssrc >>> 0;
    this.clockRate = clockRate;
  }

  /** Forwards payload type `inPt` as `outPt`. Unmapped payload types are dropped. */
  mapPayloadType(inPt: number, outPt: number): void {
    this.#ptMap[inPt & 0x7f] = outPt & 0x7f;
  }

  /** Stops forwarding payload type `inPt`. */
  unmapPayloadType(inPt: number): void {
    this.#ptMap[inPt & 0x7f] = DROP;
  }

  /** Current sequence-number offset (output − input, mod 2^16). */
  get seqOffset(): number {
    return this.#seqOffset;
  }

  /** Current timestamp offset (output − input, mod 2^32). */
  get timestampOffset(): number {
    return this.#tsOffset;
  }

  /** True once the first packet of the current source fixed the offsets. */
  get synced(): boolean {
    return this.#synced;
  }

  /**
   * Announces a new input stream (another source, or the same one restarted): the next packet
   * re-bases the offsets so the output continues where it stopped.
   */
  switchSource(now: number = performance.now()): void {
    this.#synced = false;
    this.#switchedAt = now;
  }

  /**
   * Rewrites `packet`'s header in place from input values the caller already read (the fan-out
   * loop reads them once: earlier outputs have rewritten the same buffer). Returns false, packet
   * untouched, when `inPt` is not forwarded. Keeps the marker bit; CSRCs/extensions untouched.
   */
  rewrite(packet: Buffer, inPt: number, inSeq: number, inTs: number): boolean {
    const outPt = this.#ptMap[inPt]!;
    if (outPt === DROP) return false;
    if (!this.#synced) this.#sync(inSeq, inTs);
    const outSeq = (inSeq + this.#seqOffset) & 0xffff;
    const outTs = (inTs + this.#tsOffset) >>> 0;
    if (seqDiff(outSeq, this.#lastOutSeq) > 0) {
      this.#lastOutSeq = outSeq;
      this.#lastOutTs = outTs;
    }
    packet[1] = (packet[1]! & 0x80) | outPt;
    packet[2] = outSeq >>> 8;
    packet[3] = outSeq;
    writeU32(packet, 4, outTs);
    writeU32(packet, 8, this.ssrc);
    return true;
  }

  /** {@link rewrite} reading the input values from `packet` itself. */
  rewritePacket(packet: Buffer): boolean {
    return this.rewrite(packet, packet[1]! & 0x7f, (packet[2]! << 8) | packet[3]!, readU32(packet, 4));
  }

  /**
   * Maps an output sequence number (as named in a subscriber's NACK) back to the input one, or
   * returns -1 when it belongs to an earlier source (before the last switch).
   */
  inputSequenceOf(outSeq: number): number {
    if (!this.#synced || seqDiff(outSeq, this.#firstOutSeq) < 0) return -1;
    return (outSeq - this.#seqOffset) & 0xffff;
  }

  /** Maps an input RTP timestamp (e.g. from a sender report) to the output timeline. */
  outputTimestampOf(inTs: number): number {
    return (inTs + this.#tsOffset) >>> 0;
  }

  #sync(inSeq: number, inTs: number): void {
    let outSeq: number;
    let outTs: number;
    if (!this.#started) {
      outSeq = random32() & 0x7fff; // below 2^15 so the first wrap is not immediate (RFC 3550 §A.1 hint)
      outTs = random32();
      this.#started = true;
    } else {
      outSeq = (this.#lastOutSeq + 1) & 0xffff;
      const elapsedMs = Math.max(1, performance.now() - this.#switchedAt);
      outTs = (this.#lastOutTs + Math.max(1, Math.round((elapsedMs * this.clockRate) / 1000))) >>> 0;
    }
    this.#seqOffset = (outSeq - inSeq) & 0xffff;
    this.#tsOffset = (outTs - inTs) >>> 0;
    this.#lastOutSeq = (outSeq - 1) & 0xffff;
    this.#lastOutTs = outTs;
    this.#firstOutSeq = outSeq;
    this.#synced = true;
  }
}
