import { execFile, spawn, spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';

/** Settings of {@link FfmpegTools}. */
export interface FfmpegToolsOptions {
  ffmpeg: string;
  ffprobe: string;
  /** Niceness of the composite encoder (0–19). */
  nice: number;
}

/** ffmpeg and ffprobe as the recorder uses them: the composite encoder and duration probes. */
export class FfmpegTools {
  readonly options: FfmpegToolsOptions;
  readonly available: boolean;
  /** Why recording is off, when it is. */
  readonly problem: string | undefined;

  constructor(options: FfmpegToolsOptions) {
    this.options = options;
    const ffmpeg = runs(options.ffmpeg, ['-hide_banner', '-version']);
    const ffprobe = runs(options.ffprobe, ['-hide_banner', '-version']);
    this.available = ffmpeg && ffprobe;
    this.problem = this.available ? undefined : `${ffmpeg ? options.ffprobe : options.ffmpeg} not found (apt-get install ffmpeg)`;
  }

  /**
   * Runs an encoder (`ffmpeg <args>`) at low priority so live forwarding keeps the CPU it needs;
   * resolves on success, rejects with the end of its error output otherwise.
   */
  encode(args: readonly string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const proc = spawn(this.options.ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      if (proc.pid !== undefined) {
        try {
          setPriority(proc.pid, this.options.nice);
        } catch {
          // not permitted: runs at normal priority
        }
      }
      let err = '';
      proc.stderr.on('data', (d: Buffer) => {
        err = (err + d.toString()).slice(-2000);
      });
      proc.once('error', reject);
      proc.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}: ${err.trim()}`))));
    });
  }

  /**
   * Media duration of `file` in ms (0 when unreadable or empty): the container's when it says,
   * else the end of its last packet (IVF files carry no duration, nor does a file cut short).
   */
  async probeDurationMs(file: string): Promise<number> {
    const declared = await this.#probe(['-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file]);
    const d = Number(declared.trim());
    if (Number.isFinite(d) && d > 0) return Math.round(d * 1000);
    const packets = await this.#probe(['-select_streams', '0', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file]);
    let end = 0;
    for (const line of packets.split('\n')) {
      const [pts, dur] = line.split(',').map(Number);
      if (pts !== undefined && Number.isFinite(pts)) end = Math.max(end, pts + (dur !== undefined && Number.isFinite(dur) ? dur : 0));
    }
    return Math.round(end * 1000);
  }

  #probe(args: string[]): Promise<string> {
    return new Promise((resolve) => {
      execFile(this.options.ffprobe, ['-v', 'error', ...args], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
        resolve(error ? '' : stdout),
      );
    });
  }
}

function runs(cmd: string, args: string[]): boolean {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
  } catch {
    return false;
  }
}
