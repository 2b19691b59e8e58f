/**
 * Finding one element of an RTP header extension block (RFC 8285: the one-byte form §4.2 and the
 * two-byte form §4.3) in place, without allocating: the audio level reader and the transport-cc
 * id guard run once per packet.
 */

/** RFC 8285 §4.2 "defined by profile" value of the one-byte form. */
const ONE_BYTE_PROFILE = 0xbede;
/** RFC 8285 §4.3: the two-byte form's profile is 0x100 followed by 4 application bits. */
const TWO_BYTE_PROFILE_MASK = 0xfff0;
const TWO_BYTE_PROFILE = 0x1000;

/** Where {@link findExtensionElement} found the element. */
export interface ExtensionElement {
  /** Offset of the byte holding the element's id (the one-byte form shares it with the length). */
  idAt: number;
  /** Offset of its first data byte. */
  dataAt: number;
  /** Its data length in bytes. */
  size: number;
  /** True in the two-byte form. */
  twoByte: boolean;
}

/**
 * Looks for element `id` in `packet`'s header extension; fills `out` and returns true when found
 * with its data inside the block. False when the packet has no extension, another profile, a
 * truncated block, or no such element (in the one-byte form parsing stops at the reserved id 15).
 */
export function findExtensionElement(packet: Uint8Array, id: number, out: ExtensionElement): boolean {
  const len = packet.length;
  const b0 = packet[0]!;
  if ((b0 & 0x10) === 0 || id <= 0) return false;
  let off = 12 + (b0 & 0x0f) * 4;
  if (off + 4 > len) return false;
  const profile = (packet[off]! << 8) | packet[off + 1]!;
  const end = off + 4 + ((packet[off + 2]! << 8) | packet[off + 3]!) * 4;
  if (end > len) return false;
  off += 4;
  if (profile === ONE_BYTE_PROFILE) {
    if (id > 14) return false;
    while (off < end) {
      const b = packet[off]!;
      if (b === 0) {
        off++; // padding byte
        continue;
      }
      if (b >> 4 === 15) return false; // reserved: stop parsing (RFC 8285 §4.2)
      const size = (b & 0x0f) + 1;
      if (b >> 4 === id) return fill(out, off, off + 1, size, false, end);
      off += 1 + size;
    }
    return false;
  }
  if ((profile & TWO_BYTE_PROFILE_MASK) === TWO_BYTE_PROFILE) {
    while (off < end) {
      const elementId = packet[off]!;
      if (elementId === 0) {
        off++;
        continue;
      }
      if (off + 1 >= end) return false;
      const size = packet[off + 1]!;
      if (elementId === id) return fill(out, off, off + 2, size, true, end);
      off += 2 + size;
    }
  }
  return false;
}

function fill(out: ExtensionElement, idAt: number, dataAt: number, size: number, twoByte: boolean, end: number): boolean {
  if (size < 1 || dataAt >= end) return false;
  out.idAt = idAt;
  out.dataAt = dataAt;
  out.size = size;
  out.twoByte = twoByte;
  return true;
}
