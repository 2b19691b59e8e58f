import { describe, expect, it } from 'vitest';
import {
  MAX_FEEDBACK_STATUSES,
  forEachTransportCcStatus,
  hideExtensionElement,
  TRANSPORT_CC_EXT_ID,
  writeTransportCcExtension,
  type TransportCcSink,
} from './transportCc.js';

/** Collects what a feedback message reports. */
function statuses(buf: Buffer): { result: number; packets: [seq: number, received: boolean, arrivalUs: number][] } {
  const packets: [number, boolean, number][] = [];
  const sink: TransportCcSink = { onPacketStatus: (seq, received, arrivalUs) => packets.push([seq, received, arrivalUs]) };
  return { result: forEachTransportCcStatus(buf, 0, buf.length, sink), packets };
}

/** RTPFB FMT 15 with the given body after the fixed 20 bytes, padded to a word. */
function feedback(base: number, count: number, referenceTime: number, body: number[]): Buffer {
  const size = Math.ceil((20 + body.length) / 4) * 4;
  const b = Buffer.alloc(size);
  b[0] = 0x80 | 15;
  b[1] = 205;
  b.writeUInt16BE(size / 4 - 1, 2);
  b.writeUInt32BE(0x11111111, 4);
  b.writeUInt32BE(0x22222222, 8);
  b.writeUInt16BE(base, 12);
  b.writeUInt16BE(count, 14);
  b.writeUIntBE(referenceTime & 0xffffff, 16, 3);
  b[19] = 7; // feedback packet count
  Buffer.from(body).copy(b, 20);
  return b;
}

describe('transport-wide feedback', () => {
  it('reads a run-length chunk of received packets with small deltas', () => {
    // Run chunk: T=0, status 1 (small delta), run 3; deltas 4, 8, 0 (× 250 µs).
    const { result, packets } = statuses(feedback(65534, 3, 2, [0x20, 0x03, 4, 8, 0]));
    expect(result).toBe(3);
    const base = 2 * 64000;
    expect(packets).toEqual([
      [65534, true, base + 1000],
      [65535, true, base + 3000],
      [0, true, base + 3000],
    ]);
  });

  it('reads 1-bit and 2-bit status vectors with losses and a negative large delta', () => {
    // 1-bit vector: 1,0,1 then eleven 0 (14 packets); 2-bit vector: received-large, lost (2 more).
    const oneBit = 0x8000 | (0b101 << 11);
    const twoBit = 0xc000 | (0b10 << 12) | (0b00 << 10);
    const { result, packets } = statuses(feedback(100, 16, 0, [oneBit >> 8, oneBit & 0xff, twoBit >> 8, twoBit & 0xff, 10, 20, 0xff, 0xfe]));
    expect(result).toBe(16);
    expect(packets.filter(([, received]) => received)).toEqual([
      [100, true, 2500],
      [102, true, 7500],
      [114, true, 7000], // -2 × 250 µs: arrived before the one sent earlier
    ]);
    expect(packets.map(([seq]) => seq)).toEqual(Array.from({ length: 16 }, (_, i) => 100 + i));
  });

  it('takes the reference time as signed', () => {
    const { packets } = statuses(feedback(0, 1, 0xffffff, [0x20, 0x01, 0]));
    expect(packets).toEqual([[0, true, -64000]]);
  });

  it('refuses other messages and truncated ones', () => {
    const nack = feedback(0, 1, 0, [0x20, 0x01, 0]);
    nack[0] = 0x81;
    expect(statuses(nack).result).toBe(-1);
    // Says 3 packets received, carries 1 delta.
    const short = feedback(0, 3, 0, [0x20, 0x03, 1]);
    expect(statuses(short.subarray(0, 23)).result).toBe(-1);
    // Chunks missing altogether.
    expect(statuses(feedback(0, 40, 0, [])).result).toBe(-1);
    // More statuses than probe clusters ever need (a cheap way to make the SFU loop).
    expect(statuses(feedback(0, 8191, 0, [0x1f, 0xff])).result).toBe(-1);
    expect(statuses(feedback(0, MAX_FEEDBACK_STATUSES, 0, [0x04, 0x00])).result).toBe(MAX_FEEDBACK_STATUSES);
    // Reserved status 3.
    expect(statuses(feedback(0, 1, 0, [0x60, 0x01, 0])).result).toBe(-1);
  });
});

describe('header extension', () => {
  it('writes the transport sequence number in the one-byte form', () => {
    const b = Buffer.alloc(8);
    writeTransportCcExtension(b, 0, 0xabcd);
    expect([...b]).toEqual([0xbe, 0xde, 0, 1, (TRANSPORT_CC_EXT_ID << 4) | 1, 0xab, 0xcd, 0]);
  });

  /** RTP header with the X bit and the given extension block. */
  function withExtension(profile: number, elements: number[]): Buffer {
    const words = Math.ceil(elements.length / 4);
    const b = Buffer.alloc(12 + 4 + words * 4 + 2);
    b[0] = 0x90;
    b.writeUInt16BE(profile, 12);
    b.writeUInt16BE(words, 14);
    Buffer.from(elements).copy(b, 16);
    return b;
  }

  it("hides a publisher's element that has the SFU's transport-cc id, in both forms", () => {
    // One-byte form: mid (id 4, "1") then an element with id 3 (2 bytes).
    const one = withExtension(0xbede, [0x40, 0x31, 0x31, 0xaa, 0xbb]);
    expect(hideExtensionElement(one, 3)).toBe(true);
    expect(one[18]).toBe(0xf1);
    expect(one[16]).toBe(0x40); // the others untouched
    // Two-byte form: padding byte, id 3 length 1.
    const two = withExtension(0x1000, [0, 3, 1, 0x55]);
    expect(hideExtensionElement(two, 3)).toBe(true);
    expect(two[17]).toBe(255);
  });

  it('leaves packets without that id, without extension or with a broken one alone', () => {
    const other = withExtension(0xbede, [0x40, 0x31]);
    const before = Buffer.from(other);
    expect(hideExtensionElement(other, 3)).toBe(false);
    expect(other).toEqual(before);
    const plain = Buffer.alloc(20);
    plain[0] = 0x80;
    expect(hideExtensionElement(plain, 3)).toBe(false);
    const overrun = withExtension(0xbede, [0x40, 0x31]);
    overrun.writeUInt16BE(50, 14); // longer than the packet
    expect(hideExtensionElement(overrun, 3)).toBe(false);
  });
});
