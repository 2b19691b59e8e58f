/*
 * Mean Opinion Score estimates for `callStatsUpdate` (docs/sdk.md#call-statistics-and-mos).
 *
 * Audio: the ITU-T G.107 E-model, in the simplified form usual for VoIP monitoring (Cole and
 * Rosenbluth, "Voice over IP performance monitoring", ACM CCR 31(2), 2001): every default
 * parameter of G.107 gives R = 93.2; delay and the codec under loss take impairments away.
 * Video: no ITU model is small enough to run from getStats() figures alone (P.1203 needs the
 * bitstream), so Parley uses its own documented parametric model, see {@link videoMos}.
 */

/** R with every G.107 default parameter and no impairment (G.107 § 7.7). */
export const R_DEFAULT = 93.2;

/** Equipment impairment of a codec, with its packet-loss robustness (G.113 terms). */
export interface CodecImpairment {
  /** Ie: impairment with no loss. */
  ie: number;
  /** Bpl: packet-loss robustness; larger means the concealment hides loss better. */
  bpl: number;
}

/**
 * Opus as WebRTC sends it (≥ 24 kbit/s, 20 ms frames, in-band concealment). G.113 has no entry
 * for Opus; these are Parley's assumptions: Ie = 0 (transparent on the narrowband E-model scale,
 * like G.711) and Bpl = 20, between G.711 with concealment (25.1 in G.113 Appendix I) and G.729A
 * (19.0), as random loss is concealed well but not as well as G.711's sample-level PLC.
 */
export const OPUS: CodecImpairment = { ie: 0, bpl: 20 };

/** Fixed delay added by Opus packetisation (20 ms frames) and its look-ahead (6.5 ms), in ms. */
export const OPUS_CODEC_DELAY_MS = 26.5;

/** Network and receiver figures the audio estimate uses. */
export interface AudioConditions {
  /** Round-trip time in ms (the one-way delay is taken as half of it). */
  rttMs: number;
  /** Interarrival jitter in ms; the jitter buffer is assumed to hold twice that. */
  jitterMs: number;
  /** Packet loss ratio 0..1 over the sampling interval. */
  lossRatio: number;
  /** Codec; Opus by default. */
  codec?: CodecImpairment;
}

/**
 * Delay impairment Id of the simplified E-model for a one-way mouth-to-ear delay `ta` (ms):
 * 0.024·Ta, plus 0.11·(Ta − 177.3) beyond 177.3 ms, where talkers start to collide.
 */
export function delayImpairment(ta: number): number {
  const d = Math.max(0, ta);
  return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
}

/** Effective equipment impairment Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl + Bpl), Ppl in percent (G.107 eq. 7-29, random loss, BurstR = 1). */
export function lossImpairment(lossRatio: number, codec: CodecImpairment = OPUS): number {
  const ppl = clamp(lossRatio, 0, 1) * 100;
  return codec.ie + ((95 - codec.ie) * ppl) / (ppl + codec.bpl);
}

/** The E-model rating R for a call (0..100). */
export function rFactor(c: AudioConditions): number {
  const ta = Math.max(0, c.rttMs) / 2 + 2 * Math.max(0, c.jitterMs) + OPUS_CODEC_DELAY_MS;
  const r = R_DEFAULT - delayImpairment(ta) - lossImpairment(c.lossRatio, c.codec ?? OPUS);
  return clamp(r, 0, 100);
}

/** R to MOS-CQE (G.107 Annex B, eq. B-4): 1 below R = 0, 4.5 above R = 100. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/** MOS of an audio stream under `c`. */
export function audioMos(c: AudioConditions): number {
  return mosFromR(rFactor(c));
}

/** Figures the video estimate uses. */
export interface VideoConditions {
  width: number;
  height: number;
  /** Frames per second actually sent or decoded. */
  frameRate: number;
  /** Video bit rate in bit/s. */
  bitRate: number;
  /** Packet loss ratio 0..1 over the sampling interval. */
  lossRatio: number;
}

/** Bits per pixel at which VP8 coding reaches 1 − 1/e of its best quality (Parley's calibration). */
const BPP_SCALE = 0.035;
/** Pixels of 720p, where the resolution term saturates; 160×120 is its floor. */
const FULL_PIXELS = 1280 * 720;
const MIN_PIXELS = 160 * 120;

/**
 * Parley's video MOS model, multiplicative in four terms each 0..1, scaled to 1..4.5 like the
 * audio MOS (`1 + 3.5·c·r·f·l`):
 * - coding `c = 1 − exp(−bpp / 0.035)`, bpp = bit rate / (width·height·frame rate): how many bits
 *   the encoder could spend per pixel (about 0.94 at 640×480, 30 fps, 1 Mbit/s);
 * - resolution `r = 0.5 + 0.5·log(pixels / 160·120) / log(1280·720 / 160·120)`, 0.5 at 160×120, 1
 *   from 720p up;
 * - frame rate `f = min(1, ln(1 + fps) / ln(31))`: smooth motion from 30 fps;
 * - loss `l = 1 / (1 + 25·loss)`: 1 % loss costs 20 %, 10 % costs 71 % (VP8 without FEC freezes
 *   until the next keyframe).
 * No media (zero size, frame rate or bit rate) gives 1.
 */
export function videoMos(v: VideoConditions): number {
  const pixels = Math.max(0, v.width) * Math.max(0, v.height);
  if (pixels === 0 || !(v.frameRate > 0) || !(v.bitRate > 0)) return 1;
  const bpp = v.bitRate / (pixels * v.frameRate);
  const coding = 1 - Math.exp(-bpp / BPP_SCALE);
  const resolution = 0.5 + 0.5 * clamp(Math.log(pixels / MIN_PIXELS) / Math.log(FULL_PIXELS / MIN_PIXELS), 0, 1);
  const frameRate = Math.min(1, Math.log(1 + v.frameRate) / Math.log(31));
  const loss = 1 / (1 + 25 * clamp(v.lossRatio, 0, 1));
  return 1 + 3.5 * coding * resolution * frameRate * loss;
}

/**
 * Audiovisual MOS from the two: D. S. Hands, "A basic multimedia quality model", IEEE Trans.
 * Multimedia 6(6), 2004: MOS_av = 0.17·MOS_a·MOS_v + 1.15, kept in 1..4.5. With one medium only,
 * that medium's MOS.
 */
export function audioVisualMos(audio: number | undefined, video: number | undefined): number | undefined {
  if (audio === undefined) return video;
  if (video === undefined) return audio;
  return clamp(0.17 * audio * video + 1.15, 1, 4.5);
}

/** Rounds a MOS to two decimals, as it is reported. */
export function roundMos(mos: number): number {
  return Math.round(mos * 100) / 100;
}

function clamp(x: number, lo: number, hi: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : lo;
}
