import { payloadOffset } from './RtpPacket.js';

/** Codec families whose keyframes the SFU recognises. */
export const KeyframeCodec = { NONE: 0, VP8: 1, H264: 2 } as const;
export type KeyframeCodec = (typeof KeyframeCodec)[keyof typeof KeyframeCodec];

/**
 * True when `packet` (RTP) starts a VP8 keyframe. RFC 7741 §4.2 payload descriptor
 * (X R N S R PID; optional I L T K byte; PictureID 7/15 bits; TL0PICIDX; TID/KEYIDX), then for
 * the first packet of a frame (S=1, PID=0) the payload header of §4.3 whose lowest bit P is 0 on
 * a keyframe (RFC 6386 §9.1).
 */
export function isVp8KeyframeStart(packet: Uint8Array): boolean {
  let off = payloadOffset(packet);
  const len = packet.length;
  if (off < 0 || off >= len) return false;
  const b0 = packet[off]!;
  if ((b0 & 0x10) === 0 || (b0 & 0x07) !== 0) return false; // not S=1, PID=0
  off++;
  if (b0 & 0x80) {
    if (off >= len) return false;
    const x = packet[off++]!;
    if (x & 0x80) {
      if (off >= len) return false;
      off += packet[off]! & 0x80 ? 2 : 1; // PictureID, M bit = 15 bits
    }
    if (x & 0x40) off++; // TL0PICIDX
    if (x & 0x30) off++; // TID/Y/KEYIDX
  }
  return off < len && (packet[off]! & 0x01) === 0;
}

/**
 * True when `packet` (RTP) carries the start of an H.264 IDR picture or its SPS (RFC 6184 §5.6
 * single NAL unit, §5.7.1 STAP-A, §5.8 FU-A with S=1).
 */
export function isH264KeyframeStart(packet: Uint8Array): boolean {
  let off = payloadOffset(packet);
  const len = packet.length;
  if (off < 0 || off >= len) return false;
  const type = packet[off]! & 0x1f;
  if (type === 5 || type === 7) return true;
  if (type === 28) return off + 1 < len && (packet[off + 1]! & 0x80) !== 0 && ((packet[off + 1]! & 0x1f) === 5 || (packet[off + 1]! & 0x1f) === 7);
  if (type === 24) {
    for (off += 1; off + 2 < len;) {
      const size = (packet[off]! << 8) | packet[off + 1]!;
      const nal = packet[off + 2]! & 0x1f;
      if (nal === 5 || nal === 7) return true;
      off += 2 + size;
    }
  }
  return false;
}

/** Dispatches on the codec family; NONE is never a keyframe. */
export function isKeyframeStart(codec: number, packet: Uint8Array): boolean {
  if (codec === KeyframeCodec.VP8) return isVp8KeyframeStart(packet);
  if (codec === KeyframeCodec.H264) return isH264KeyframeStart(packet);
  return false;
}
