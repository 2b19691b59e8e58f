import { describe, expect, it } from 'vitest';
import { meanOfLoudest } from './AudioLevelMeter.js';
import { SILENCE_HOLD_MS, SpeakingState, speakingLevel } from './SpeakingState.js';

/** Feeds `levels` sampled every `stepMs` from t = 0; returns the changes with their times. */
function run(state: SpeakingState, levels: number[], stepMs = 100): { t: number; isSpeaking: boolean; amplitude: number }[] {
  const out: { t: number; isSpeaking: boolean; amplitude: number }[] = [];
  levels.forEach((level, i) => {
    const change = state.sample(level, i * stepMs);
    if (change) out.push({ t: i * stepMs, ...change });
  });
  return out;
}

describe('speakingLevel', () => {
  it('reads a threshold up to 1 as a fraction of 255 and above 1 as the level itself', () => {
    expect(speakingLevel(undefined)).toBeCloseTo(102, 10);
    expect(speakingLevel(0.4)).toBeCloseTo(102, 10);
    expect(speakingLevel(1)).toBe(255);
    expect(speakingLevel(50)).toBe(50);
    expect(speakingLevel(1000)).toBe(255);
    expect(speakingLevel(0)).toBeCloseTo(102, 10);
    expect(speakingLevel(-3)).toBeCloseTo(102, 10);
    expect(speakingLevel(Number.NaN)).toBeCloseTo(102, 10);
  });
});

describe('SpeakingState', () => {
  it('starts at the first loud sample and ends after a full hold period without one', () => {
    const s = new SpeakingState(100);
    // 0.5 s quiet, 1 s loud, 1.5 s quiet.
    const levels = [...Array<number>(5).fill(10), ...Array<number>(10).fill(150), ...Array<number>(15).fill(5)];
    expect(run(s, levels)).toEqual([
      { t: 500, isSpeaking: true, amplitude: 150 },
      // last loud sample at 1400 ms; silent from 1400 + hold
      { t: 1400 + SILENCE_HOLD_MS, isSpeaking: false, amplitude: 5 },
    ]);
    expect(s.speaking).toBe(false);
  });

  it('does not report a flickering level more than once per hold period', () => {
    const s = new SpeakingState(100);
    // Alternates above and below the level every sample for 5 s.
    const levels = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 101 : 99));
    const changes = run(s, levels);
    expect(changes).toEqual([{ t: 0, isSpeaking: true, amplitude: 101 }]);
  });

  it('reports a level equal to the threshold as silence (strictly greater is needed)', () => {
    const s = new SpeakingState(100);
    expect(run(s, Array<number>(20).fill(100))).toEqual([]);
  });

  it('speaks again after a pause longer than the hold, not after a shorter one', () => {
    const s = new SpeakingState(50, 1000);
    const loud = Array<number>(3).fill(80);
    const shortPause = Array<number>(8).fill(0); // 0.8 s: still speaking
    const longPause = Array<number>(12).fill(0); // 1.2 s: silent
    const changes = run(s, [...loud, ...shortPause, ...loud, ...longPause, ...loud]);
    expect(changes.map((c) => c.isSpeaking)).toEqual([true, false, true]);
  });
});

describe('meanOfLoudest', () => {
  it('averages the n largest byte values', () => {
    const bins = new Uint8Array([0, 10, 200, 30, 255, 200]);
    expect(meanOfLoudest(bins, 3)).toBeCloseTo((255 + 200 + 200) / 3, 10);
    expect(meanOfLoudest(bins, 50)).toBeCloseTo((0 + 10 + 200 + 30 + 255 + 200) / 6, 10);
    expect(meanOfLoudest(new Uint8Array(0), 50)).toBe(0);
  });
});
