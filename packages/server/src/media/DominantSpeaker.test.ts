import { describe, expect, it } from 'vitest';
import { DominantSpeaker, SILENCE_LEVEL } from './DominantSpeaker.js';

/** A track whose next window level the test sets. */
class FakeTrack {
  level = SILENCE_LEVEL;
  constructor(readonly name: string) {}
  takeAudioLevel(): number {
    return this.level;
  }
}

function setup(names: string[]) {
  const tracks = names.map((n) => new FakeTrack(n));
  const sources = new Set(tracks);
  const ds = new DominantSpeaker(() => sources, { windowMs: 300, switchMs: 900, marginDb: 6, speechLevel: 60 });
  const changes: string[] = [];
  ds.on('dominantSpeakerChanged', (t) => changes.push(t.name));
  /** Runs `n` windows with these levels (undefined = unchanged). */
  const windows = (n: number, levels: Record<string, number>) => {
    for (const t of tracks) if (levels[t.name] !== undefined) t.level = levels[t.name]!;
    for (let i = 0; i < n; i++) ds.tick();
  };
  return { tracks, sources, ds, changes, windows };
}

describe('DominantSpeaker', () => {
  it('picks nobody while everyone is silent or below the speech level', () => {
    const { ds, changes, windows } = setup(['a', 'b']);
    windows(10, { a: 127, b: 127 });
    windows(10, { a: 70, b: 90 }); // background noise, not speech
    expect(changes).toEqual([]);
    expect(ds.current).toBeNull();
  });

  it('picks the first speaker at once, the loudest of several', () => {
    const { ds, changes, windows } = setup(['a', 'b', 'c']);
    windows(1, { a: 40, b: 20, c: 127 });
    expect(changes).toEqual(['b']);
    expect(ds.current?.name).toBe('b');
  });

  it('switches only after the challenger stayed clearly louder for switchMs', () => {
    const { changes, windows } = setup(['a', 'b']);
    windows(1, { a: 30, b: 127 });
    windows(2, { a: 30, b: 20 }); // 10 dB louder for 600 ms: not yet
    expect(changes).toEqual(['a']);
    windows(1, {}); // 900 ms
    expect(changes).toEqual(['a', 'b']);
  });

  it('does not switch to a challenger that is louder by less than the margin', () => {
    const { changes, windows } = setup(['a', 'b']);
    windows(1, { a: 30, b: 127 });
    windows(20, { a: 30, b: 26 });
    expect(changes).toEqual(['a']);
  });

  it('restarts the count when the challenger falls back (a short burst does not flip)', () => {
    const { changes, windows } = setup(['a', 'b']);
    windows(1, { a: 30, b: 127 });
    for (let i = 0; i < 5; i++) {
      windows(2, { b: 10 });
      windows(1, { b: 127 });
    }
    expect(changes).toEqual(['a']);
  });

  it('hands over after switchMs when the current speaker went silent, and keeps it through silence', () => {
    const { ds, changes, windows } = setup(['a', 'b']);
    windows(1, { a: 30, b: 127 });
    windows(2, { a: 127, b: 50 });
    expect(changes).toEqual(['a']);
    windows(1, {});
    expect(changes).toEqual(['a', 'b']);
    windows(10, { a: 127, b: 127 });
    expect(changes).toEqual(['a', 'b']);
    expect(ds.current?.name).toBe('b');
  });

  it('does not flap when two challengers take turns being loudest', () => {
    const { changes, windows } = setup(['a', 'b', 'c']);
    windows(1, { a: 10 });
    for (let i = 0; i < 30; i++) {
      // a different loud challenger every window: neither stays ahead for switchMs
      const b = i % 2 === 0;
      windows(1, { a: 127, b: b ? 5 : 127, c: b ? 127 : 5 });
    }
    expect(changes).toEqual(['a']);
  });

  it('forgets a removed source and picks the next speaker at once', () => {
    const { ds, sources, tracks, changes, windows } = setup(['a', 'b']);
    windows(1, { a: 30, b: 40 });
    ds.remove(tracks[0]!);
    sources.delete(tracks[0]!);
    expect(ds.current).toBeNull();
    windows(1, {});
    expect(changes).toEqual(['a', 'b']);
  });

  it('close is idempotent and stops everything', () => {
    const { ds, changes, windows } = setup(['a']);
    ds.start();
    ds.close();
    ds.close();
    windows(3, { a: 10 });
    expect(changes).toEqual([]);
  });
});
