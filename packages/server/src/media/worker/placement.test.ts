import { describe, expect, it } from 'vitest';
import { leastLoaded, type WorkerLoad } from './placement.js';

const w = (index: number, peers: number, rooms: number, ready = true): WorkerLoad => ({ index, peers, rooms, ready });

describe('leastLoaded', () => {
  it('picks the worker with the fewest media peers', () => {
    expect(leastLoaded([w(0, 6, 1), w(1, 2, 3), w(2, 4, 0)])?.index).toBe(1);
  });

  it('breaks a tie on peers by rooms, then by slot', () => {
    expect(leastLoaded([w(0, 2, 2), w(1, 2, 1)])?.index).toBe(1);
    expect(leastLoaded([w(0, 0, 0), w(1, 0, 0)])?.index).toBe(0);
  });

  it('skips workers that are restarting', () => {
    expect(leastLoaded([w(0, 0, 0, false), w(1, 9, 9)])?.index).toBe(1);
  });

  it('returns undefined when no worker is ready', () => {
    expect(leastLoaded([w(0, 0, 0, false)])).toBeUndefined();
    expect(leastLoaded([])).toBeUndefined();
  });

  it('spreads rooms created one after the other over the workers', () => {
    const loads = [w(0, 0, 0), w(1, 0, 0)];
    const placed: number[] = [];
    for (let i = 0; i < 4; i++) {
      const chosen = leastLoaded(loads);
      if (!chosen) throw new Error('no worker');
      placed.push(chosen.index);
      loads[chosen.index] = w(chosen.index, chosen.peers + 2, chosen.rooms + 1);
    }
    expect(placed).toEqual([0, 1, 0, 1]);
  });
});
