import { findExtensionElement, type ExtensionElement } from '../rtp/headerExtension.js';

/**
 * Transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01): the
 * header extension that numbers packets across a whole connection, and the RTCP feedback
 * (RTPFB, FMT 15) in which the receiver reports when each numbered packet arrived.
 *
 * The SFU numbers only its probe packets (see {@link ProbeClusters}); media keeps REMB.
 */

export const TRANSPORT_CC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
/**
 * Extension id offered to subscribers. Chromium publishers use 3 for transport-cc, which the SFU
 * does not negotiate with them, so their forwarded packets do not carry it; any other publisher's
 * element with this id is hidden at ingest ({@link hideExtensionElement}).
 */
export const TRANSPORT_CC_EXT_ID = 3;
/** Bytes the extension adds to a packet that has none: profile word + element (3) + 1 pad byte. */
export const TRANSPORT_CC_EXTENSION_SIZE = 8;
/** RTPFB feedback message type of transport-wide feedback. */
export const TRANSPORT_CC_FORMAT = 15;

const ONE_BYTE_PROFILE = 0xbede;
const element: ExtensionElement = { idAt: 0, dataAt: 0, size: 0, twoByte: false };

/**
 * Writes, at `off` (just after a 12-byte header without CSRCs), a one-byte-form extension block
 * holding only the transport sequence number `seq`. The caller sets the X bit.
 */
export function writeTransportCcExtension(buf: Uint8Array, off: number, seq: number): void {
  buf[off] = ONE_BYTE_PROFILE >> 8;
  buf[off + 1] = ONE_BYTE_PROFILE & 0xff;
  buf[off + 2] = 0;
  buf[off + 3] = 1; // one 32-bit word of elements
  buf[off + 4] = (TRANSPORT_CC_EXT_ID << 4) | 1; // two data bytes
  buf[off + 5] = (seq >>> 8) & 0xff;
  buf[off + 6] = seq & 0xff;
  buf[off + 7] = 0; // padding
}

/**
 * Renames the header-extension element `id` of an RTP packet, if any, so that a receiver which
 * negotiated `id` for something else never reads it: in the one-byte form to 15 (RFC 8285 §4.2:
 * parsing stops there), in the two-byte form to 255 (never negotiated by the SFU). Returns true
 * when an element was renamed. Runs once per ingested video packet; allocates nothing.
 */
export function hideExtensionElement(packet: Uint8Array, id: number): boolean {
  if (!findExtensionElement(packet, id, element)) return false;
  packet[element.idAt] = element.twoByte ? 255 : 0xf0 | (packet[element.idAt]! & 0x0f);
  return true;
}

/** Receives the packet statuses of a transport-wide feedback message, one call each. */
export interface TransportCcSink {
  /** `arrivalUs`: receiver's clock, µs (only differences mean anything); 0 when not received. */
  onPacketStatus(seq: number, received: boolean, arrivalUs: number): void;
}

/**
 * Most statuses one feedback message may cover. The SFU numbers only its probe packets (16 a
 * cluster), so real feedback covers a few dozen; a run-length chunk of "not received" packs
 * 8191 statuses into 2 bytes, and without this bound a subscriber could make the SFU walk
 * millions of statuses a second with small packets.
 */
export const MAX_FEEDBACK_STATUSES = 1024;

/** Symbols of the packets' statuses, reused across calls. */
const symbols = new Uint8Array(MAX_FEEDBACK_STATUSES);

/**
 * If the RTCP packet at `off` (ending at `end`) is a transport-wide feedback message, calls
 * `sink.onPacketStatus` for every packet it covers, in sequence order, and returns how many;
 * otherwise, or when the message is malformed or covers more than {@link MAX_FEEDBACK_STATUSES}
 * packets, returns -1 (statuses read before the error may already have been delivered).
 *
 *     | base sequence number | packet status count |
 *     | reference time (24 bits, 64 ms) | fb pkt count |
 *     | packet chunks (16 bits each) … | receive deltas (1 or 2 bytes each) … |
 *
 * A chunk is either a run (T=0: 2-bit status, 13-bit length) or a status vector (T=1: S=0,
 * fourteen 1-bit statuses; S=1, seven 2-bit statuses). Status 0 = not received, 1 = received
 * with a 1-byte delta (unsigned, 250 µs), 2 = received with a 2-byte delta (signed, 250 µs).
 */
export function forEachTransportCcStatus(buf: Uint8Array, off: number, end: number, sink: TransportCcSink): number {
  if (buf[off + 1] !== 205 || (buf[off]! & 0x1f) !== TRANSPORT_CC_FORMAT || end - off < 20) return -1;
  const base = (buf[off + 12]! << 8) | buf[off + 13]!;
  const count = (buf[off + 14]! << 8) | buf[off + 15]!;
  if (count > MAX_FEEDBACK_STATUSES) return -1;
  let reference = (buf[off + 16]! << 16) | (buf[off + 17]! << 8) | buf[off + 18]!;
  if (reference & 0x800000) reference -= 0x1000000;
  let p = off + 20;
  let n = 0;
  while (n < count) {
    if (p + 2 > end) return -1;
    const chunk = (buf[p]! << 8) | buf[p + 1]!;
    p += 2;
    if ((chunk & 0x8000) === 0) {
      const status = (chunk >> 13) & 3;
      const run = Math.min(chunk & 0x1fff, count - n);
      symbols.fill(status, n, n + run);
      n += run;
    } else if ((chunk & 0x4000) === 0) {
      for (let bit = 13; bit >= 0 && n < count; bit--) symbols[n++] = (chunk >> bit) & 1;
    } else {
      for (let shift = 12; shift >= 0 && n < count; shift -= 2) symbols[n++] = (chunk >> shift) & 3;
    }
  }
  let arrival = reference * 64000;
  for (let i = 0; i < count; i++) {
    const symbol = symbols[i]!;
    const seq = (base + i) & 0xffff;
    if (symbol === 0) {
      sink.onPacketStatus(seq, false, 0);
      continue;
    }
    if (symbol === 1) {
      if (p + 1 > end) return -1;
      arrival += buf[p]! * 250;
      p += 1;
    } else if (symbol === 2) {
      if (p + 2 > end) return -1;
      const delta = (buf[p]! << 8) | buf[p + 1]!;
      arrival += (delta & 0x8000 ? delta - 0x10000 : delta) * 250;
      p += 2;
    } else {
      return -1; // reserved status
    }
    sink.onPacketStatus(seq, true, arrival);
  }
  return count;
}
