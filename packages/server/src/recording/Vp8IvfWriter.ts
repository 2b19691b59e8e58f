import type { WriteStream } from 'node:fs';
import { rtpMarker, rtpPayloadBounds, vp8Descriptor } from './rtpPayload.js';
import { RtpClock } from './RtpClock.js';

/** What a writer did with a packet. */
export type WriteResult = 'ok' | 'needKeyframe';

/**
 * Depacketises VP8 RTP (RFC 7741) into an IVF file: 32-byte header, then per frame a 12-byte
 * header (size, pts in 1/90000 s) and the frame. Written as it goes, so a file cut short is
 * readable up to its last frame. A frame with a missing packet is dropped, and so is everything
 * until the next keyframe (the caller asks the publisher for one).
 */
export class Vp8IvfWriter {
  readonly #out: WriteStream;
  readonly #clock = new RtpClock();
  #chunks: Buffer[] = [];
  #frameTs = -1;
  #nextSeq = -1;
  #broken = false;
  #waitKeyframe = true;
  #headerWritten = false;
  #frames = 0;

  constructor(out: WriteStream) {
    this.#out = out;
  }

  /** Frames written. */
  get frames(): number {
    return this.#frames;
  }

  /** One RTP packet with the publisher's sequence number and timestamp. */
  write(packet: Buffer, seq: number, ts: number): WriteResult {
    if (this.#nextSeq >= 0) {
      const d = ((seq - this.#nextSeq) << 16) >> 16;
      if (d < 0) return 'ok'; // late duplicate or retransmission of what was already given up
      if (d > 0) {
        // Lost packets: whatever frame they belonged to is gone, and the frames after it refer to it.
        this.#broken = true;
        this.#waitKeyframe = true;
      }
    }
    this.#nextSeq = (seq + 1) & 0xffff;
    const bounds = rtpPayloadBounds(packet);
    if (!bounds || bounds.end === bounds.start) return this.#result(); // padding only
    const desc = vp8Descriptor(packet, bounds.start, bounds.end);
    if (!desc) return this.#result();
    if (desc.frameStart) {
      this.#chunks = [];
      this.#frameTs = ts;
      this.#broken = false; // a keyframe starting here is whole if no packet of it goes missing
    } else if (ts !== this.#frameTs || this.#chunks.length === 0) {
      this.#broken = true;
    }
    if (!this.#broken) this.#chunks.push(packet.subarray(bounds.start + desc.length, bounds.end));
    if (rtpMarker(packet)) this.#endFrame();
    return this.#result();
  }

  #result(): WriteResult {
    return this.#waitKeyframe ? 'needKeyframe' : 'ok';
  }

  #endFrame(): void {
    const chunks = this.#chunks;
    this.#chunks = [];
    if (this.#broken || chunks.length === 0) {
      this.#waitKeyframe = true;
      return;
    }
    const frame = Buffer.concat(chunks);
    const key = frame.length >= 10 && (frame[0]! & 0x01) === 0;
    if (this.#waitKeyframe && !key) return;
    this.#waitKeyframe = false;
    if (!this.#headerWritten) {
      this.#headerWritten = true;
      this.#out.write(ivfHeader(frame.readUInt16LE(6) & 0x3fff, frame.readUInt16LE(8) & 0x3fff));
    }
    const head = Buffer.alloc(12);
    head.writeUInt32LE(frame.length, 0);
    head.writeBigUInt64LE(BigInt(Math.max(0, this.#clock.since(this.#frameTs))), 4);
    this.#out.write(head);
    this.#out.write(frame);
    this.#frames++;
  }
}

function ivfHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(32);
  b.write('DKIF', 0, 'latin1');
  b.writeUInt16LE(0, 4);
  b.writeUInt16LE(32, 6);
  b.write('VP80', 8, 'latin1');
  b.writeUInt16LE(width, 12);
  b.writeUInt16LE(height, 14);
  b.writeUInt32LE(90000, 16); // time base 1/90000: RTP ticks
  b.writeUInt32LE(1, 20);
  b.writeUInt32LE(0, 24); // frame count unknown while writing
  return b;
}
