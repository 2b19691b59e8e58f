import { findExtensionElement, type ExtensionElement } from './headerExtension.js';

/**
 * Reads the client-to-mixer audio level (RFC 6464, `urn:ietf:params:rtp-hdrext:ssrc-audio-level`)
 * from an RTP header extension without decoding the audio. The element is one byte: the V flag
 * (voice activity, bit 7) and the level in -dBov (0 = loudest, 127 = silence).
 *
 * Allocates nothing: it runs once per audio packet.
 */

/** Returned when the packet carries no audio level element with this id. */
export const NO_AUDIO_LEVEL = -1;

const element: ExtensionElement = { idAt: 0, dataAt: 0, size: 0, twoByte: false };

/**
 * Level in -dBov (0–127) of the audio level element `extId` of `packet`, or
 * {@link NO_AUDIO_LEVEL} when there is none (no extension, other ids, truncated packet).
 * The V flag is dropped: Chromium sets it from its own VAD and the level alone ranks speakers.
 */
export function readAudioLevel(packet: Uint8Array, extId: number): number {
  return findExtensionElement(packet, extId, element) ? packet[element.dataAt]! & 0x7f : NO_AUDIO_LEVEL;
}
