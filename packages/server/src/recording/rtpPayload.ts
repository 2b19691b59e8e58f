/*
 * Reading the parts of an RTP packet (RFC 3550 §5.1) the capture writers need: where the payload
 * is, without copying.
 */

/** Offset and end of the payload of `packet`, or null when the packet is malformed. */
export function rtpPayloadBounds(packet: Uint8Array): { start: number; end: number } | null {
  const len = packet.length;
  if (len < 12) return null;
  const b0 = packet[0]!;
  let start = 12 + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (len < start + 4) return null;
    start += 4 + ((packet[start + 2]! << 8) | packet[start + 3]!) * 4;
  }
  let end = len;
  if (b0 & 0x20) end -= packet[len - 1]!;
  return start <= end ? { start, end } : null;
}

/** Whether the marker bit is set (VP8: last packet of a frame). */
export function rtpMarker(packet: Uint8Array): boolean {
  return (packet[1]! & 0x80) !== 0;
}

/**
 * The VP8 payload descriptor (RFC 7741 §4.2) at `start`: its length, and whether this packet
 * starts a frame (S=1, partition 0). Null when truncated.
 */
export function vp8Descriptor(p: Uint8Array, start: number, end: number): { length: number; frameStart: boolean } | null {
  if (start >= end) return null;
  const b0 = p[start]!;
  let i = start + 1;
  if (b0 & 0x80) {
    if (i >= end) return null;
    const x = p[i++]!;
    if (x & 0x80) {
      if (i >= end) return null;
      i += p[i]! & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    }
    if (x & 0x40) i++; // TL0PICIDX
    if (x & 0x30) i++; // TID / KEYIDX
  }
  if (i > end) return null;
  return { length: i - start, frameStart: (b0 & 0x10) !== 0 && (b0 & 0x07) === 0 };
}

/** Samples (at 48 kHz) an Opus packet holds, from its TOC byte (RFC 6716 §3.1); 960 when unreadable. */
export function opusSamples(p: Uint8Array, start: number, end: number): number {
  if (start >= end) return 960;
  const toc = p[start]!;
  const config = toc >> 3;
  let frame: number; // in 1/400 s (2.5 ms) units → ×120 samples
  if (config < 12) frame = [4, 8, 16, 24][config & 3]!;
  else if (config < 16) frame = [4, 8][config & 1]!;
  else frame = [1, 2, 4, 8][config & 3]!;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code === 3 ? (start + 1 < end ? p[start + 1]! & 0x3f : 1) : 2;
  return frames * frame * 120;
}
