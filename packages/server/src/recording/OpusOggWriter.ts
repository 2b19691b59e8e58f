import type { WriteStream } from 'node:fs';
import { OggFlags, oggPage, opusHead, opusTags } from './oggPage.js';
import { opusSamples, rtpPayloadBounds } from './rtpPayload.js';
import { RtpClock } from './RtpClock.js';

/** An Opus packet with a 20 ms CELT stereo TOC and no frame data (RFC 6716 §3.2.1: DTX). */
const SILENCE = Buffer.from([0xfc]);
const SILENCE_SAMPLES = 960;
/** Longest gap filled, in 20 ms frames (10 minutes); beyond it the time jumps. */
const MAX_FILL = 30_000;

/**
 * Writes Opus RTP (RFC 7587) into an Ogg Opus file (RFC 7845), one packet per page, each page's
 * granule position the packet's end in 48 kHz samples from the first packet; gaps (silence
 * suppression, loss) are filled with silence so that time stays right. Written as it goes; a file cut short is readable.
 */
export class OpusOggWriter {
  readonly #out: WriteStream;
  readonly #clock = new RtpClock();
  readonly #serial = (Math.random() * 0xffffffff) >>> 0;
  #page = 0;
  #lastEnd = -1;
  #packets = 0;

  constructor(out: WriteStream) {
    this.#out = out;
    out.write(oggPage(opusHead(), 0n, this.#serial, this.#page++, OggFlags.FIRST));
    out.write(oggPage(opusTags('parley'), 0n, this.#serial, this.#page++, 0));
  }

  /** Packets written. */
  get packets(): number {
    return this.#packets;
  }

  /** One RTP packet with the publisher's timestamp. */
  write(packet: Buffer, _seq: number, ts: number): 'ok' {
    const bounds = rtpPayloadBounds(packet);
    if (!bounds || bounds.end === bounds.start) return 'ok';
    const start = this.#clock.since(ts);
    const end = start + opusSamples(packet, bounds.start, bounds.end);
    if (end <= this.#lastEnd) return 'ok'; // reordered or repeated: granules must grow
    // Readers (ffmpeg) time packets by their durations, not by granule jumps: a gap (silence
    // suppression, loss) is filled with empty 20 ms frames, which decode as silence.
    let at = Math.max(0, this.#lastEnd);
    for (let n = 0; start - at >= SILENCE_SAMPLES && n < MAX_FILL; n++) {
      at += SILENCE_SAMPLES;
      this.#out.write(oggPage(SILENCE, BigInt(at), this.#serial, this.#page++, 0));
    }
    this.#lastEnd = end;
    this.#out.write(oggPage(packet.subarray(bounds.start, bounds.end), BigInt(end), this.#serial, this.#page++, 0));
    this.#packets++;
    return 'ok';
  }
}
