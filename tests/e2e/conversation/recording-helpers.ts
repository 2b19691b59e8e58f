import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { User } from '../harness/index.js';

const run = promisify(execFile);

/** What ffprobe says about a file: codec and duration (s) of each stream, and the container's. */
export async function probe(file: string): Promise<{ codecs: string[]; duration: number; streams: { codec: string; duration: number }[] }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name,duration', '-of', 'json', file]);
  const json = JSON.parse(stdout) as { format: { duration?: string }; streams: { codec_name: string; duration?: string }[] };
  const streams = json.streams.map((s) => ({ codec: s.codec_name, duration: Number(s.duration ?? 'NaN') }));
  return { codecs: streams.map((s) => s.codec).sort(), duration: Number(json.format.duration ?? 'NaN'), streams };
}

/** The frame at `atS` seconds of `file` as packed RGB (`width`×`height`×3 bytes). */
export async function frameAt(file: string, atS: number, width: number, height: number): Promise<Buffer> {
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-ss', String(atS), '-i', file, '-frames:v', '1', '-s', `${width}x${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    {
      encoding: 'buffer',
      maxBuffer: width * height * 3 + 1024,
    },
  );
  return stdout;
}

/** Mean colour of the `size`×`size` square centred on (x, y) of a packed RGB frame. */
export function meanColour(frame: Buffer, width: number, x: number, y: number, size = 16): [number, number, number] {
  const sum = [0, 0, 0];
  for (let dy = -size / 2; dy < size / 2; dy++) {
    for (let dx = -size / 2; dx < size / 2; dx++) {
      const i = ((y + dy) * width + (x + dx)) * 3;
      for (let c = 0; c < 3; c++) sum[c]! += frame[i + c]!;
    }
  }
  const n = size * size;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

/** Largest per-channel difference of two colours. */
export function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

/** Records the page's recording events into E2E (`recordingStarted` … with the RecordingInfo). */
export async function watchRecording(user: User): Promise<void> {
  await user.page.evaluate(() => {
    for (const ev of ['recordingStarted', 'recordingStopped', 'recordingAvailable']) {
      CONV.conv.on(ev, (info: unknown) => E2E.record(ev, JSON.parse(JSON.stringify(info)) as object));
    }
  });
}

/**
 * Lets the recording run for `ms`. The length of the recording is what the test is about (the
 * brief asks for ≥ 10 s with someone leaving mid-way); nothing is asserted about timing.
 */
export function recordFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
