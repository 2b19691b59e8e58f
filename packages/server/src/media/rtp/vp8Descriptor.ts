import { payloadOffset } from './RtpPacket.js';

/**
 * Where the VP8 payload descriptor (RFC 7741 §4.2) keeps the fields a simulcast switch must
 * rewrite:
 *
 *     |X|R|N|S|R| PID |   X: extended control bits present
 *     |I|L|T|K| RSV   |   I: PictureID present, L: TL0PICIDX present, T/K: TID/KEYIDX present
 *     |M| PictureID   |   M: 15-bit PictureID (one more byte)
 *     |  TL0PICIDX    |
 *
 * Each encoding of a simulcast publisher numbers its pictures on its own, so a subscriber moved
 * from one layer to another would see PictureID and TL0PICIDX jump; decoders use them to detect
 * lost pictures and would ask for keyframes or show corruption.
 */
export interface Vp8Fields {
  /** Offset of the PictureID field in the packet, -1 when absent. */
  pictureIdOffset: number;
  /** True for a 15-bit PictureID (M bit), false for 7 bits. */
  longPictureId: boolean;
  /** Offset of TL0PICIDX, -1 when absent. */
  tl0PicIdxOffset: number;
}

/** Reads the positions of PictureID and TL0PICIDX into `out` (no allocation). False when not VP8-shaped. */
export function readVp8Fields(packet: Uint8Array, out: Vp8Fields): boolean {
  out.pictureIdOffset = -1;
  out.tl0PicIdxOffset = -1;
  out.longPictureId = false;
  let off = payloadOffset(packet);
  const len = packet.length;
  if (off < 0 || off >= len) return false;
  if ((packet[off]! & 0x80) === 0) return true; // no extension: nothing to rewrite
  off++;
  if (off >= len) return false;
  const x = packet[off++]!;
  if (x & 0x80) {
    if (off >= len) return false;
    out.pictureIdOffset = off;
    out.longPictureId = (packet[off]! & 0x80) !== 0;
    off += out.longPictureId ? 2 : 1;
  }
  if (x & 0x40) {
    if (off >= len) return false;
    out.tl0PicIdxOffset = off;
  }
  return true;
}

/** Reads the PictureID at `off` (15 or 7 bits). */
export function readPictureId(packet: Uint8Array, off: number, long: boolean): number {
  return long ? ((packet[off]! & 0x7f) << 8) | packet[off + 1]! : packet[off]! & 0x7f;
}

/** Writes a PictureID at `off` keeping its width (M bit kept for 15 bits). */
export function writePictureId(packet: Uint8Array, off: number, long: boolean, value: number): void {
  if (long) {
    packet[off] = 0x80 | ((value >>> 8) & 0x7f);
    packet[off + 1] = value;
  } else {
    packet[off] = value & 0x7f;
  }
}
