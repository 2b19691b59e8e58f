import { describe, expect, it } from 'vitest';
import { audioMos, audioVisualMos, delayImpairment, lossImpairment, mosFromR, OPUS, rFactor, videoMos } from './mos.js';

/*
 * Reference points. R → MOS and the impairments are the published formulas (ITU-T G.107 Annex B
 * eq. B-4; Cole & Rosenbluth 2001 for Id; G.107 eq. 7-29 for Ie,eff), evaluated by hand:
 *   MOS(93.2) = 1 + 0.035·93.2 + 93.2·33.2·6.8·7e-6 = 4.4093 (G.107's "all defaults" rating)
 *   Id(100)   = 0.024·100 = 2.4;  Id(200) = 4.8 + 0.11·22.7 = 7.297
 *   Ie,eff(5 %, Opus Ie 0 Bpl 20) = 95·5 / (5 + 20) = 19
 * The call cases add Parley's delay budget (Ta = RTT/2 + 2·jitter + 26.5 ms of Opus framing):
 *   RTT 100, jitter 10, loss 5 %: Ta = 96.5, R = 93.2 − 2.316 − 19 = 71.884, MOS 3.684
 *   RTT 600, jitter 30, no loss:  Ta = 386.5, Id = 9.276 + 23.012, R = 60.912, MOS 3.147
 *   RTT 200, jitter 20, loss 20 %: Ta = 166.5, R = 93.2 − 3.996 − 47.5 = 41.704, MOS 2.148
 * Video: Parley's model of mos.ts, same arithmetic (640×480, 30 fps, 1 Mbit/s: bpp 0.1085,
 * coding 0.9550, resolution 0.8581, frame rate 1 → 1 + 3.5·0.8195 = 3.868).
 */

describe('E-model (audio MOS)', () => {
  it('maps R to MOS as G.107 Annex B: 93.2 → 4.41, the bounds → 1 and 4.5', () => {
    expect(mosFromR(93.2)).toBeCloseTo(4.4093, 4);
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(100)).toBe(4.5);
    expect(mosFromR(50)).toBeCloseTo(1 + 1.75 + 50 * -10 * 50 * 7e-6, 10);
  });

  it('computes the delay and loss impairments', () => {
    expect(delayImpairment(100)).toBeCloseTo(2.4, 10);
    expect(delayImpairment(200)).toBeCloseTo(7.297, 10);
    expect(lossImpairment(0.05, OPUS)).toBeCloseTo(19, 10);
    expect(lossImpairment(0, OPUS)).toBe(0);
    expect(lossImpairment(1, OPUS)).toBeCloseTo(95 * (100 / 120), 10);
  });

  it('rates an unimpaired call near 4.4 and lowers it with loss and delay', () => {
    expect(audioMos({ rttMs: 0, jitterMs: 0, lossRatio: 0 })).toBeCloseTo(4.3966, 3);
    expect(rFactor({ rttMs: 100, jitterMs: 10, lossRatio: 0.05 })).toBeCloseTo(71.884, 3);
    expect(audioMos({ rttMs: 100, jitterMs: 10, lossRatio: 0.05 })).toBeCloseTo(3.684, 3);
    expect(audioMos({ rttMs: 600, jitterMs: 30, lossRatio: 0 })).toBeCloseTo(3.147, 3);
    expect(audioMos({ rttMs: 200, jitterMs: 20, lossRatio: 0.2 })).toBeCloseTo(2.148, 3);
  });

  it('stays in 1..4.5 whatever the input', () => {
    for (const c of [
      { rttMs: 10_000, jitterMs: 1_000, lossRatio: 1 },
      { rttMs: -1, jitterMs: -1, lossRatio: -1 },
      { rttMs: Number.NaN, jitterMs: 0, lossRatio: Number.NaN },
    ]) {
      const m = audioMos(c);
      expect(m).toBeGreaterThanOrEqual(1);
      expect(m).toBeLessThanOrEqual(4.5);
    }
  });
});

describe('video MOS (Parley model)', () => {
  it('rates the reference cases', () => {
    expect(videoMos({ width: 640, height: 480, frameRate: 30, bitRate: 1e6, lossRatio: 0 })).toBeCloseTo(3.868, 3);
    expect(videoMos({ width: 1280, height: 720, frameRate: 30, bitRate: 2.5e6, lossRatio: 0 })).toBeCloseTo(4.236, 3);
    expect(videoMos({ width: 640, height: 480, frameRate: 30, bitRate: 1e6, lossRatio: 0.1 })).toBeCloseTo(1.819, 3);
    expect(videoMos({ width: 320, height: 240, frameRate: 15, bitRate: 300e3, lossRatio: 0.01 })).toBeCloseTo(2.534, 3);
  });

  it('gives 1 without media and never exceeds 4.5', () => {
    expect(videoMos({ width: 0, height: 0, frameRate: 30, bitRate: 1e6, lossRatio: 0 })).toBe(1);
    expect(videoMos({ width: 640, height: 480, frameRate: 0, bitRate: 1e6, lossRatio: 0 })).toBe(1);
    expect(videoMos({ width: 3840, height: 2160, frameRate: 60, bitRate: 1e9, lossRatio: 0 })).toBeLessThanOrEqual(4.5);
  });

  it('combines audio and video after Hands (2004)', () => {
    expect(audioVisualMos(4.41, 4)).toBeCloseTo(4.1488, 4);
    expect(audioVisualMos(1, 1)).toBeCloseTo(1.32, 10);
    expect(audioVisualMos(4.5, 4.5)).toBe(4.5);
    expect(audioVisualMos(3, undefined)).toBe(3);
    expect(audioVisualMos(undefined, 2)).toBe(2);
  });
});
