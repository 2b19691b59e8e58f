import { describe, expect, it } from 'vitest';
import { DEFAULT_SWITCH_POLICY, LossTracker, tooManyForMesh } from './LossTracker.js';

describe('switch policy', () => {
  it('a fifth participant is too many for mesh', () => {
    expect(tooManyForMesh(4, DEFAULT_SWITCH_POLICY)).toBe(false);
    expect(tooManyForMesh(5, DEFAULT_SWITCH_POLICY)).toBe(true);
    expect(tooManyForMesh(3, { ...DEFAULT_SWITCH_POLICY, meshMaxParticipants: 2 })).toBe(true);
  });

  it('switches on the third consecutive report above 10 % loss', () => {
    const loss = new LossTracker(DEFAULT_SWITCH_POLICY);
    expect(loss.report(0.11)).toBe(false);
    expect(loss.report(0.5)).toBe(false);
    expect(loss.report(0.2)).toBe(true);
    expect(loss.streak).toBe(3);
  });

  it('exactly 10 % is not bad, and one good report resets the streak', () => {
    const loss = new LossTracker(DEFAULT_SWITCH_POLICY);
    loss.report(0.3);
    loss.report(0.3);
    expect(loss.report(0.1)).toBe(false);
    expect(loss.streak).toBe(0);
    loss.report(0.3);
    loss.report(0.3);
    loss.reset();
    expect(loss.report(0.3)).toBe(false);
  });
});
