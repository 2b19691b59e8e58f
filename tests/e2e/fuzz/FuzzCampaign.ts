import type { RecordedFrame } from './corpus.js';
import type { FuzzFrame } from './FrameMutator.js';
import { FuzzConnection, type FuzzShared, type FuzzTargets } from './FuzzConnection.js';
import { Prng } from './Prng.js';

export interface CampaignOptions {
  /** ws:// URL of the server. */
  url: string;
  seed: number;
  /** Frames to send in all. */
  frames: number;
  /** Connections alive at once (each reconnects with a new life when its socket closes). */
  connections: number;
  corpus: readonly RecordedFrame[];
  targets: FuzzTargets;
  /** See FuzzShared.avoid; empty in the test. */
  avoid?: ReadonlySet<string>;
}

/** A frame in the crash log: which connection, when, what was done, and its text (middle cut when long). */
export interface LoggedFrame {
  conn: number;
  at: number;
  label: string;
  bytes: number;
  head: string;
}

export interface CampaignStats {
  seed: number;
  sent: number;
  lives: number;
  ms: number;
  /** Waits for answers that ended on the stall timeout (frames the server did not answer). */
  stalls: number;
  /** Frames by kind (`valid`, `register`, `freeform-deepArray`, `garbage-binary`…) and by mutation operator (`deep`, `truncate`…; a frame can have several). */
  labels: Record<string, number>;
}

const LOG_SIZE = 3000;
const HEAD_CHARS = 300;

/**
 * Runs `connections` fuzzing clients in parallel until `frames` frames were sent or `stop()` is
 * called, each client starting a new life (new socket, new session) when its socket closes.
 * Keeps the last frames sent, for a crash report.
 */
export class FuzzCampaign {
  #sent = 0;
  #lives = 0;
  #stalls = 0;
  #stopped = false;
  readonly #labels: Record<string, number> = {};
  readonly #log: LoggedFrame[] = [];

  constructor(private readonly options: CampaignOptions) {}

  get sent(): number {
    return this.#sent;
  }

  stop(): void {
    this.#stopped = true;
  }

  /** The last frames sent (oldest first). */
  recentFrames(): LoggedFrame[] {
    return [...this.#log];
  }

  async run(): Promise<CampaignStats> {
    const started = Date.now();
    const master = new Prng(this.options.seed);
    const shared: FuzzShared = {
      take: () => {
        if (this.#stopped || this.#sent >= this.options.frames) return false;
        this.#sent++;
        return true;
      },
      sent: (conn, frame) => this.#record(conn, frame),
      stalled: () => this.#stalls++,
      corpus: this.options.corpus,
      targets: this.options.targets,
      avoid: this.options.avoid ?? new Set(),
    };
    const loops = Array.from({ length: this.options.connections }, (_, slot) => {
      const rng = master.fork();
      return (async () => {
        // Connection names depend on the slot and its own life count only, never on timing.
        for (let life = 0; !this.#stopped && this.#sent < this.options.frames; life++) {
          this.#lives++;
          await new FuzzConnection(this.options.url, slot * 1_000_000 + life, rng.fork(), shared).run();
        }
      })();
    });
    await Promise.all(loops);
    return { seed: this.options.seed, sent: this.#sent, lives: this.#lives, ms: Date.now() - started, stalls: this.#stalls, labels: { ...this.#labels } };
  }

  #record(conn: number, frame: FuzzFrame): void {
    for (const op of frame.label.split('+')) this.#labels[op] = (this.#labels[op] ?? 0) + 1;
    const full = typeof frame.data === 'string' ? frame.data : `<binary ${frame.data.toString('hex', 0, 64)}…>`;
    const text = full.length <= 2 * HEAD_CHARS ? full : `${full.slice(0, HEAD_CHARS)}…[${full.length - 2 * HEAD_CHARS} chars]…${full.slice(-HEAD_CHARS)}`;
    this.#log.push({
      conn,
      at: Date.now(),
      label: frame.label,
      bytes: typeof frame.data === 'string' ? Buffer.byteLength(frame.data) : frame.data.length,
      head: text,
    });
    if (this.#log.length > LOG_SIZE) this.#log.splice(0, this.#log.length - LOG_SIZE);
  }
}
