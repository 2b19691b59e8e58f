/**
 * Reads the client-to-mixer audio level (RFC 6464, `urn:ietf:params:rtp-hdrext:ssrc-audio-level`)
 * from an RTP header extension without decoding the audio. The element is one byte: the V flag
 * (voice activity, bit 7) and the level in -dBov (0 = loudest, 127 = silence).
 *
 * Walks the header extension in place (RFC 8285 §4.2 one-byte and §4.3 two-byte element forms)
 * and allocates nothing: it runs once per audio packet.
 */

/** Returned when the packet carries no audio level element with this id. */
export const NO_AUDIO_LEVEL = -1;

/** RFC 8285 §4.2 "defined by profile" value of the one-byte form. */
const ONE_BYTE_PROFILE = 0xbede;
/** RFC 8285 §4.3: the two-byte form's profile is 0x100 followed by 4 application bits. */
const TWO_BYTE_PROFILE_MASK = 0xfff0;
const TWO_BYTE_PROFILE = 0x1000;

/**
 * Level in -dBov (0–127) of the audio level element `extId` of `packet`, or
 * {@link NO_AUDIO_LEVEL} when there is none (no extension, other ids, truncated packet).
 * The V flag is dropped: Chromium sets it from its own VAD and the level alone ranks speakers.
 */
export function readAudioLevel(packet: Uint8Array, extId: number): number {
  const len = packet.length;
  const b0 = packet[0]!;
  if ((b0 & 0x10) === 0 || extId <= 0) return NO_AUDIO_LEVEL;
  let off = 12 + (b0 & 0x0f) * 4;
  if (off + 4 > len) return NO_AUDIO_LEVEL;
  const profile = (packet[off]! << 8) | packet[off + 1]!;
  const end = off + 4 + ((packet[off + 2]! << 8) | packet[off + 3]!) * 4;
  if (end > len) return NO_AUDIO_LEVEL;
  off += 4;
  if (profile === ONE_BYTE_PROFILE) {
    if (extId > 14) return NO_AUDIO_LEVEL;
    while (off < end) {
      const b = packet[off]!;
      if (b === 0) {
        off++; // padding byte
        continue;
      }
      const id = b >> 4;
      if (id === 15) return NO_AUDIO_LEVEL; // reserved: stop parsing (RFC 8285 §4.2)
      const size = (b & 0x0f) + 1;
      if (id === extId) return off + 1 < end ? packet[off + 1]! & 0x7f : NO_AUDIO_LEVEL;
      off += 1 + size;
    }
    return NO_AUDIO_LEVEL;
  }
  if ((profile & TWO_BYTE_PROFILE_MASK) === TWO_BYTE_PROFILE) {
    while (off < end) {
      const id = packet[off]!;
      if (id === 0) {
        off++;
        continue;
      }
      if (off + 1 >= end) return NO_AUDIO_LEVEL;
      const size = packet[off + 1]!;
      if (id === extId) return size >= 1 && off + 2 < end ? packet[off + 2]! & 0x7f : NO_AUDIO_LEVEL;
      off += 2 + size;
    }
  }
  return NO_AUDIO_LEVEL;
}
