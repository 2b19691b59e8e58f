import { readPictureId, writePictureId, type Vp8Fields } from '../rtp/vp8Descriptor.js';

/**
 * Keeps one subscriber's VP8 PictureID and TL0PICIDX continuous across simulcast layer
 * switches, the way {@link RtpRewriter} does for sequence numbers: output = input + offset, the
 * offsets re-based at the first packet after {@link switchSource} so the output goes on at the
 * last value + 1. Before the first switch the offsets are 0 (the publisher's values pass).
 *
 * Writes into the shared packet buffer for every packet (even at offset 0) because an earlier
 * output of the same fan-out may have rewritten the fields for its own subscriber; the input
 * values therefore come from the caller, read once before the fan-out.
 */
export class Vp8PictureRewriter {
  #synced = true;
  #started = false;
  #picOffset = 0;
  #tl0Offset = 0;
  #lastPic = -1;
  #lastTl0 = -1;

  /** The next packet comes from another encoding: re-base the offsets there. */
  switchSource(): void {
    this.#synced = false;
  }

  /**
   * Rewrites the fields located by `fields` in `packet` from the input values `inPic`/`inTl0`
   * (-1 when absent).
   */
  rewrite(packet: Uint8Array, fields: Vp8Fields, inPic: number, inTl0: number): void {
    const mask = fields.longPictureId ? 0x7fff : 0x7f;
    if (!this.#synced) {
      if (this.#started && inPic >= 0 && this.#lastPic >= 0) this.#picOffset = (this.#lastPic + 1 - inPic) & mask;
      if (this.#started && inTl0 >= 0 && this.#lastTl0 >= 0) this.#tl0Offset = (this.#lastTl0 + 1 - inTl0) & 0xff;
      this.#synced = true;
    }
    this.#started = true;
    if (inPic >= 0 && fields.pictureIdOffset >= 0) {
      const out = (inPic + this.#picOffset) & mask;
      writePictureId(packet, fields.pictureIdOffset, fields.longPictureId, out);
      // Newest picture seen (a retransmission or reordering is older by less than half the range).
      if (this.#lastPic < 0 || ((out - this.#lastPic) & mask) < (mask + 1) / 2) this.#lastPic = out;
    }
    if (inTl0 >= 0 && fields.tl0PicIdxOffset >= 0) {
      const out = (inTl0 + this.#tl0Offset) & 0xff;
      packet[fields.tl0PicIdxOffset] = out;
      if (this.#lastTl0 < 0 || ((out - this.#lastTl0) & 0xff) < 128) this.#lastTl0 = out;
    }
  }

  /** Reads the input PictureID of `packet` (-1 when absent); helper for callers and tests. */
  static inputPictureId(packet: Uint8Array, fields: Vp8Fields): number {
    return fields.pictureIdOffset < 0 ? -1 : readPictureId(packet, fields.pictureIdOffset, fields.longPictureId);
  }
}
