import { describe, expect, it } from 'vitest';
import { compositeArgs, filterGraph, gridLayout, timeline, type CompositeSpec } from './compositePlan.js';

describe('timeline', () => {
  it('cuts the recording where the set of videos changes and merges equal neighbours', () => {
    const videos = [
      { startMs: 0, durationMs: 8000 },
      { startMs: 2000, durationMs: 5000 },
      { startMs: 3000, durationMs: 20000 },
    ];
    expect(timeline(videos, 10000)).toEqual([
      { startMs: 0, endMs: 2000, videos: [0] },
      { startMs: 2000, endMs: 3000, videos: [0, 1] },
      { startMs: 3000, endMs: 7000, videos: [0, 1, 2] },
      { startMs: 7000, endMs: 8000, videos: [0, 2] },
      { startMs: 8000, endMs: 10000, videos: [2] },
    ]);
  });

  it('keeps empty spans (background only) and one span without videos', () => {
    expect(timeline([{ startMs: 1000, durationMs: 1000 }], 3000)).toEqual([
      { startMs: 0, endMs: 1000, videos: [] },
      { startMs: 1000, endMs: 2000, videos: [0] },
      { startMs: 2000, endMs: 3000, videos: [] },
    ]);
    expect(timeline([], 5000)).toEqual([{ startMs: 0, endMs: 5000, videos: [] }]);
  });
});

describe('gridLayout', () => {
  it('fills the canvas with one tile, splits two side by side, centres an incomplete row', () => {
    expect(gridLayout(1, 1280, 720)).toEqual([{ x: 0, y: 0, w: 1280, h: 720 }]);
    expect(gridLayout(2, 1280, 720)).toEqual([
      { x: 0, y: 0, w: 640, h: 720 },
      { x: 640, y: 0, w: 640, h: 720 },
    ]);
    expect(gridLayout(3, 1280, 720)).toEqual([
      { x: 0, y: 0, w: 640, h: 360 },
      { x: 640, y: 0, w: 640, h: 360 },
      { x: 320, y: 360, w: 640, h: 360 },
    ]);
    expect(gridLayout(4, 1280, 720).map((t) => [t.x, t.y])).toEqual([
      [0, 0],
      [640, 0],
      [0, 360],
      [640, 360],
    ]);
  });

  it('keeps sizes even and tiles inside the canvas', () => {
    for (let n = 1; n <= 16; n++) {
      for (const t of gridLayout(n, 1278, 718)) {
        expect(t.w % 2).toBe(0);
        expect(t.h % 2).toBe(0);
        expect(t.x + t.w).toBeLessThanOrEqual(1278);
        expect(t.y + t.h).toBeLessThanOrEqual(718);
      }
    }
    expect(gridLayout(0, 1280, 720)).toEqual([]);
  });
});

const base: CompositeSpec = { segments: [], durationMs: 10000, width: 1280, height: 720, fps: 25, video: true, audio: true, threads: 1, output: '/tmp/o.mp4' };

describe('filterGraph', () => {
  it('shifts each video to its start, cuts one copy per interval it shows in, overlays it on its tile', () => {
    const { inputs, filter } = filterGraph({
      ...base,
      segments: [
        { file: 'a.mkv', kind: 'video', startMs: 0, durationMs: 8000 },
        { file: 'b.mkv', kind: 'video', startMs: 2000, durationMs: 3000 },
      ],
    });
    expect(inputs.map((s) => s.file)).toEqual(['a.mkv', 'b.mkv']);
    const chains = filter.split(';');
    expect(chains[0]).toBe('color=c=0x202020:s=1280x720:r=25:d=10.000[bg0]');
    // a shows alone, then beside b, then alone again: three copies.
    expect(chains).toContain('[0:v]setpts=PTS-STARTPTS+0.000/TB,split=3[v0c0][v0c1][v0c2]');
    expect(chains).toContain('[1:v]setpts=PTS-STARTPTS+2.000/TB[v1c0]');
    expect(chains.some((c) => c.startsWith('[v1c0]trim=start=2.000:end=5.000,scale=640:720'))).toBe(true);
    expect(chains.filter((c) => c.includes('overlay=')).length).toBe(4);
    expect(chains).toContain("[bg3][t1c0]overlay=x=640:y=0:eof_action=pass:repeatlast=0:enable='between(t,2.000,5.000)'[bg4]");
    expect(chains).toContain('[bg4]fps=25,format=yuv420p[vout]');
    // No audio segment: silence of the whole length.
    expect(chains).toContain('anullsrc=r=48000:cl=stereo,atrim=duration=10.000[amix]');
    expect(chains.at(-1)).toBe('[amix]apad=whole_dur=10.000[aout]');
  });

  it('delays and mixes every audio segment; audio-only drops the videos', () => {
    const segments = [
      { file: 'v.mkv', kind: 'video' as const, startMs: 0, durationMs: 5000 },
      { file: 'a1.mkv', kind: 'audio' as const, startMs: 0, durationMs: 5000 },
      { file: 'a2.mkv', kind: 'audio' as const, startMs: 1500, durationMs: 5000 },
    ];
    const { inputs, filter } = filterGraph({ ...base, segments, video: false });
    expect(inputs.map((s) => s.file)).toEqual(['a1.mkv', 'a2.mkv']);
    expect(filter).not.toContain('color=');
    expect(filter).toContain('[1:a]asetpts=PTS-STARTPTS+1.500/TB,aresample=48000:async=1:first_pts=0');
    expect(filter).toContain('[a0][a1]amix=inputs=2:duration=longest:dropout_transition=0:normalize=0[amix]');
  });

  it('leaves out empty segments and those starting after the end', () => {
    const { inputs } = filterGraph({
      ...base,
      segments: [
        { file: 'empty.mkv', kind: 'video', startMs: 0, durationMs: 0 },
        { file: 'late.mkv', kind: 'audio', startMs: 10000, durationMs: 500 },
      ],
    });
    expect(inputs).toEqual([]);
  });
});

describe('compositeArgs', () => {
  it('encodes H.264 + AAC with faststart, bounded threads and the exact length', () => {
    const args = compositeArgs({ ...base, threads: 2, segments: [{ file: 'v.mkv', kind: 'video', startMs: 0, durationMs: 1000 }] });
    const at = (flag: string): string | undefined => args[args.indexOf(flag) + 1];
    expect(args.slice(args.indexOf('-reinit_filter'), args.indexOf('-reinit_filter') + 4)).toEqual(['-reinit_filter', '0', '-i', 'v.mkv']);
    expect(at('-c:v')).toBe('libx264');
    expect(at('-c:a')).toBe('aac');
    expect(at('-movflags')).toBe('+faststart');
    expect(at('-threads')).toBe('2');
    expect(at('-filter_complex_threads')).toBe('2');
    expect(at('-t')).toBe('10.000');
    expect(args.at(-1)).toBe('/tmp/o.mp4');
    expect(compositeArgs({ ...base, audio: false })).not.toContain('-c:a');
  });
});
