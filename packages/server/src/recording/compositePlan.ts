/*
 * The composite of a recording as data: which captured segment is visible where and when, and
 * the ffmpeg filter graph that draws it. Pure functions (unit-tested); CompositeEncoder runs the
 * result.
 */

/** One captured file: a track's media from `startMs` (relative to the recording start) on. */
export interface SegmentInput {
  file: string;
  kind: 'audio' | 'video';
  /** Offset of the segment's first packet from the recording start, ms (≥ 0). */
  startMs: number;
  /** Media duration of the file, ms. */
  durationMs: number;
}

/** A time span during which the same set of videos is shown. */
export interface Interval {
  startMs: number;
  endMs: number;
  /** Indexes (into the video list) of the videos shown, in segment order. */
  videos: number[];
}

/** A rectangle of the output frame. */
export interface Tile {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** What the composite must be. */
export interface CompositeSpec {
  segments: readonly SegmentInput[];
  /** Length of the output, ms. */
  durationMs: number;
  width: number;
  height: number;
  fps: number;
  /** Whether the output has a video / an audio stream. */
  video: boolean;
  audio: boolean;
  /** Encoder threads (x264 and the filter graph). */
  threads: number;
  output: string;
}

/** Background of the canvas and of letterboxed tiles (dark grey, as the demo app). */
export const BACKGROUND = '0x202020';

/**
 * Cuts [0, durationMs) into intervals where the set of visible videos does not change. A video
 * is visible over [startMs, startMs + durationMs) clipped to the recording. Intervals with no
 * video are kept (the background shows); adjacent equal sets are merged.
 */
export function timeline(videos: readonly { startMs: number; durationMs: number }[], durationMs: number): Interval[] {
  const cuts = new Set<number>([0, durationMs]);
  for (const v of videos) {
    cuts.add(clamp(v.startMs, 0, durationMs));
    cuts.add(clamp(v.startMs + v.durationMs, 0, durationMs));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Interval[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const startMs = points[i]!;
    const endMs = points[i + 1]!;
    if (endMs <= startMs) continue;
    const shown: number[] = [];
    videos.forEach((v, index) => {
      if (v.startMs <= startMs && v.startMs + v.durationMs >= endMs) shown.push(index);
    });
    const last = out[out.length - 1];
    if (last && sameSet(last.videos, shown)) last.endMs = endMs;
    else out.push({ startMs, endMs, videos: shown });
  }
  return out;
}

/**
 * A grid for `n` tiles on a `width`×`height` canvas: ⌈√n⌉ columns, as many rows as needed, an
 * incomplete last row centred. Sizes are even (yuv420p).
 */
export function gridLayout(n: number, width: number, height: number): Tile[] {
  if (n <= 0) return [];
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const w = even(width / cols);
  const h = even(height / rows);
  const tiles: Tile[] = [];
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / cols);
    const inRow = row === rows - 1 ? n - row * cols : cols;
    const col = i - row * cols;
    const x0 = evenFloor((width - inRow * w) / 2);
    const y0 = evenFloor((height - rows * h) / 2);
    tiles.push({ x: x0 + col * w, y: y0 + row * h, w, h });
  }
  return tiles;
}

/** The ffmpeg arguments that encode `spec` into an MP4 (H.264 + AAC, faststart). */
export function compositeArgs(spec: CompositeSpec): string[] {
  const graph = filterGraph(spec);
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];
  for (const s of graph.inputs) {
    // A camera that changes resolution must not rebuild the graph (it would restart the canvas).
    if (s.kind === 'video') args.push('-reinit_filter', '0');
    args.push('-i', s.file);
  }
  args.push('-filter_complex', graph.filter, '-filter_complex_threads', String(spec.threads));
  if (spec.video) {
    args.push('-map', '[vout]', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-g', String(spec.fps * 2));
  }
  if (spec.audio) args.push('-map', '[aout]', '-c:a', 'aac', '-b:a', '128k', '-ar', '48000');
  args.push('-threads', String(spec.threads), '-t', seconds(spec.durationMs), '-movflags', '+faststart', '-f', 'mp4', spec.output);
  return args;
}

/** The filter graph of `spec` and the input files in the order it numbers them. */
export function filterGraph(spec: CompositeSpec): { inputs: SegmentInput[]; filter: string } {
  const inputs = spec.segments.filter((s) => (s.kind === 'video' ? spec.video : spec.audio) && s.durationMs > 0 && s.startMs < spec.durationMs);
  const chains: string[] = [];
  const dur = seconds(spec.durationMs);
  if (spec.video) {
    const videos = inputs.map((s, i) => ({ s, i })).filter(({ s }) => s.kind === 'video');
    const intervals = timeline(
      videos.map(({ s }) => s),
      spec.durationMs,
    );
    chains.push(`color=c=${BACKGROUND}:s=${spec.width}x${spec.height}:r=${spec.fps}:d=${dur}[bg0]`);
    // Every place a video appears: one copy of its stream, cut to the interval and scaled to the tile.
    const uses = videos.map(() => [] as { interval: Interval; tile: Tile }[]);
    for (const interval of intervals) {
      const tiles = gridLayout(interval.videos.length, spec.width, spec.height);
      interval.videos.forEach((v, k) => uses[v]!.push({ interval, tile: tiles[k]! }));
    }
    let bg = 'bg0';
    let n = 0;
    videos.forEach(({ s, i }, v) => {
      const copies = uses[v]!;
      if (copies.length === 0) {
        chains.push(`[${i}:v]nullsink`);
        return;
      }
      const labels = copies.map((_, k) => `v${v}c${k}`);
      const shifted = `setpts=PTS-STARTPTS+${seconds(s.startMs)}/TB`;
      chains.push(
        copies.length === 1 ? `[${i}:v]${shifted}[${labels[0]}]` : `[${i}:v]${shifted},split=${copies.length}${labels.map((l) => `[${l}]`).join('')}`,
      );
      copies.forEach(({ interval, tile }, k) => {
        const a = seconds(interval.startMs);
        const b = seconds(interval.endMs);
        const fit = `scale=${tile.w}:${tile.h}:force_original_aspect_ratio=decrease,pad=${tile.w}:${tile.h}:(ow-iw)/2:(oh-ih)/2:color=${BACKGROUND},setsar=1`;
        chains.push(`[${labels[k]}]trim=start=${a}:end=${b},${fit}[t${v}c${k}]`);
        const next = `bg${++n}`;
        chains.push(`[${bg}][t${v}c${k}]overlay=x=${tile.x}:y=${tile.y}:eof_action=pass:repeatlast=0:enable='between(t,${a},${b})'[${next}]`);
        bg = next;
      });
    });
    chains.push(`[${bg}]fps=${spec.fps},format=yuv420p[vout]`);
  }
  if (spec.audio) {
    const audios = inputs.map((s, i) => ({ s, i })).filter(({ s }) => s.kind === 'audio');
    // Each track starts where it started, and gaps (silence suppression, loss) stay gaps.
    audios.forEach(({ s, i }, k) => {
      chains.push(`[${i}:a]asetpts=PTS-STARTPTS+${seconds(s.startMs)}/TB,aresample=48000:async=1:first_pts=0,aformat=channel_layouts=stereo[a${k}]`);
    });
    if (audios.length === 0) chains.push(`anullsrc=r=48000:cl=stereo,atrim=duration=${dur}[amix]`);
    else if (audios.length === 1) chains.push(`[a0]anull[amix]`);
    else chains.push(`${audios.map((_, k) => `[a${k}]`).join('')}amix=inputs=${audios.length}:duration=longest:dropout_transition=0:normalize=0[amix]`);
    chains.push(`[amix]apad=whole_dur=${dur}[aout]`);
  }
  return { inputs, filter: chains.join(';') };
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function even(x: number): number {
  return Math.max(2, evenFloor(x));
}

function evenFloor(x: number): number {
  return Math.max(0, Math.floor(x / 2) * 2);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
