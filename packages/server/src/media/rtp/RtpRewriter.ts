import { TRANSPORT_CC_EXTENSION_SIZE, writeTransportCcExtension } from '../bwe/transportCc.js';
import { readU32, writeU32 } from './RtpPacket.js';
import { random32, seqDiff } from './sequence.js';

/** Marks a payload type that is not forwarded (see {@link RtpRewriter.mapPayloadType}). */
const DROP = 0xff;
/** Padding octets per padding-only packet: the most one packet can say (RFC 3550 §5.1). */
export const PADDING_OCTETS = 255;
/** Size of one padding-only packet: a 12-byte header and {@link PADDING_OCTETS}. */
export const PADDING_PACKET_SIZE = 12 + PADDING_OCTETS;
/**
 * Offset changes remembered for late packets and NACKs. Padding is inserted at most a few times
 * a second, so this covers several seconds, more than a retransmission is worth.
 */
const MAX_SEGMENTS = 32;

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
 * Padding-only packets ({@link writePadding}, bandwidth probes) take sequence numbers of their
 * own, so each insertion shifts the sequence offset of later input packets. The offsets in force
 * since each shift are kept as segments (input sequence number where each starts), so that a late
 * packet or a NACKed one still maps to the output number it had.
 *
 * Per packet: a table lookup, a few branches and twelve byte writes. No allocation.
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
  /** Highest input sequence number forwarded, its wall-clock time and output payload type. */
  #lastInSeq = 0;
  #lastOutAt = 0;
  #lastOutPt = DROP;
  /** Segments, oldest first: input sequence number where each starts, and its offset. */
  readonly #segIn = new Int32Array(MAX_SEGMENTS);
  readonly #segOffset = new Int32Array(MAX_SEGMENTS);
  #segments = 0;
  #paddingPackets = 0;

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
    let seqOffset = this.#seqOffset;
    // Older than the last padding insertion: the offset of its own segment.
    if (this.#segments > 1 && seqDiff(inSeq, this.#segIn[this.#segments - 1]!) < 0) seqOffset = this.#offsetOf(inSeq);
    const outSeq = (inSeq + seqOffset) & 0xffff;
    const outTs = (inTs + this.#tsOffset) >>> 0;
    if (seqDiff(outSeq, this.#lastOutSeq) > 0) {
      this.#lastOutSeq = outSeq;
      this.#lastOutTs = outTs;
      this.#lastInSeq = inSeq;
      this.#lastOutAt = performance.now();
      this.#lastOutPt = outPt;
    }
    packet[1] = (packet[1]! & 0x80) | outPt;
    packet[2] = outSeq >>> 8;
    packet[3] = outSeq;
    writeU32(packet, 4, outTs);
    writeU32(packet, 8, this.ssrc);
    return true;
  }

  /** Padding-only packets written so far. */
  get paddingPackets(): number {
    return this.#paddingPackets;
  }

  /**
   * Writes into `buf` a padding-only packet (P bit, {@link PADDING_OCTETS} octets of padding, no
   * payload) that continues the output: the next sequence number, the last payload type, and the
   * timestamp the output has reached by now (as a sender pads between frames). Later input
   * packets move one sequence number up. With `transportSeq` ≥ 0 the packet carries it in a
   * transport-cc header extension (a probe cluster), in place of as many padding octets: every
   * padding packet is {@link PADDING_PACKET_SIZE} bytes. Returns its length, 0 before the first packet.
   */
  writePadding(buf: Buffer, now: number = performance.now(), transportSeq = -1): number {
    if (!this.#synced || this.#lastOutPt === DROP) return 0;
    const outSeq = (this.#lastOutSeq + 1) & 0xffff;
    const outTs = (this.#lastOutTs + Math.max(0, Math.round(((now - this.#lastOutAt) * this.clockRate) / 1000))) >>> 0;
    buf[0] = transportSeq >= 0 ? 0xb0 : 0xa0; // V=2, P=1 (and X=1 with the extension)
    buf[1] = this.#lastOutPt;
    buf[2] = outSeq >>> 8;
    buf[3] = outSeq;
    writeU32(buf, 4, outTs);
    writeU32(buf, 8, this.ssrc);
    let octets = PADDING_OCTETS;
    if (transportSeq >= 0) {
      writeTransportCcExtension(buf, 12, transportSeq);
      octets -= TRANSPORT_CC_EXTENSION_SIZE;
    }
    buf.fill(0, PADDING_PACKET_SIZE - octets, PADDING_PACKET_SIZE - 1);
    buf[PADDING_PACKET_SIZE - 1] = octets;
    this.#lastOutSeq = outSeq;
    this.#seqOffset = (this.#seqOffset + 1) & 0xffff;
    const next = (this.#lastInSeq + 1) & 0xffff;
    if (this.#segIn[this.#segments - 1] === next) {
      this.#segOffset[this.#segments - 1] = this.#seqOffset; // padding again before any new input
    } else {
      if (this.#segments === MAX_SEGMENTS) {
        this.#segIn.copyWithin(0, 1);
        this.#segOffset.copyWithin(0, 1);
        this.#segments--;
      }
      this.#segIn[this.#segments] = next;
      this.#segOffset[this.#segments] = this.#seqOffset;
      this.#segments++;
    }
    this.#paddingPackets++;
    return PADDING_PACKET_SIZE;
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
    for (let i = this.#segments - 1; i >= 0; i--) {
      const offset = this.#segOffset[i]!;
      if (i > 0 && seqDiff(outSeq, (this.#segIn[i]! + offset) & 0xffff) < 0) continue;
      const inSeq = (outSeq - offset) & 0xffff;
      // Past the end of its segment: one of the padding packets inserted before the next one.
      if (i < this.#segments - 1 && seqDiff(inSeq, this.#segIn[i + 1]!) >= 0) return -1;
      return inSeq;
    }
    return -1;
  }

  /** Offset of the segment `inSeq` belongs to (the oldest one's for anything before it). */
  #offsetOf(inSeq: number): number {
    for (let i = this.#segments - 1; i > 0; i--) if (seqDiff(inSeq, this.#segIn[i]!) >= 0) return this.#segOffset[i]!;
    return this.#segOffset[0]!;
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
    this.#lastInSeq = (inSeq - 1) & 0xffff;
    this.#lastOutAt = performance.now();
    this.#firstOutSeq = outSeq;
    this.#segIn[0] = inSeq;
    this.#segOffset[0] = this.#seqOffset;
    this.#segments = 1;
    this.#synced = true;
  }
}
