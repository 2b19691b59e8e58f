import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compositeArgs, type SegmentInput } from './compositePlan.js';
import type { FfmpegTools } from './FfmpegTools.js';
import type { RecordingRow, RecordingStore } from './RecordingStore.js';

/** Output settings of the composite. */
export interface ComposeSettings {
  width: number;
  height: number;
  fps: number;
  threads: number;
}

/**
 * Turns the captured segments of a stopped recording into its MP4: probes each segment's
 * duration, places it at its wall-clock offset, encodes with one low-priority ffmpeg into a
 * temporary file and renames it, so a file under the final name is always complete. Used at
 * stop and, at startup, for recordings a crash or restart left unfinished.
 */
export class RecordingComposer {
  readonly #store: RecordingStore;
  readonly #tools: FfmpegTools;
  readonly #settings: ComposeSettings;
  /** One encode at a time: the server's cores belong to live media first. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(store: RecordingStore, tools: FfmpegTools, settings: ComposeSettings) {
    this.#store = store;
    this.#tools = tools;
    this.#settings = settings;
  }

  /** Composes `row` (queued behind other compositions); marks it available or failed. */
  compose(row: RecordingRow, dir: string): Promise<void> {
    const run = this.#queue.then(() => this.#compose(row, dir));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #compose(row: RecordingRow, dir: string): Promise<void> {
    this.#store.setState(row.mediaId, 'composing');
    try {
      const segments: SegmentInput[] = [];
      for (const s of this.#store.segments(row.mediaId)) {
        if (s.startedAt === null) continue; // never received a packet
        const file = join(dir, s.file);
        const durationMs = await this.#tools.probeDurationMs(file);
        if (durationMs > 0) segments.push({ file, kind: s.kind, startMs: Math.max(0, s.startedAt - row.startedAt), durationMs });
      }
      const captured = segments.reduce((end, s) => Math.max(end, s.startMs + s.durationMs), 0);
      // Stopped cleanly: the recording lasts until the stop; cut short: until the last captured media.
      const stoppedAt = this.#store.get(row.mediaId)?.stoppedAt ?? null;
      const durationMs = Math.max(1000, stoppedAt !== null ? stoppedAt - row.startedAt : captured);
      const output = join(dir, row.fileName);
      const partial = `${output}.part`;
      await this.#tools.encode(
        compositeArgs({
          segments,
          durationMs,
          ...this.#settings,
          video: !row.options.audioOnly,
          audio: !row.options.videoOnly,
          output: partial,
        }),
      );
      await rename(partial, output);
      const { size } = await stat(output);
      this.#store.finished(row.mediaId, durationMs, size);
    } catch (error) {
      await rm(join(dir, `${row.fileName}.part`), { force: true });
      this.#store.setState(row.mediaId, 'failed', (error as Error).message.slice(0, 1000));
      throw error;
    }
  }
}
