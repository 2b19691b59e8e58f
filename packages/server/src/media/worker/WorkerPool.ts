import { fileURLToPath } from 'node:url';
import { ErrorCode, ParleyError } from '@parley/protocol';
import { Emitter, type ListenerErrorSink } from '../../util/Emitter.js';
import { closedError } from '../errors.js';
import type { MediaPlane } from '../MediaApi.js';
import { resolveMediaConfig, type SfuOptions } from '../MediaConfig.js';
import { MediaWorker } from './MediaWorker.js';
import { leastLoaded } from './placement.js';
import type { RemoteRoom } from './RemoteRoom.js';

/** Events of a {@link WorkerPool}. */
export interface WorkerPoolEvents {
  /** A worker died with this room: its participants must publish and subscribe again. */
  roomLost: [room: RemoteRoom];
  /** A worker died (`detail`: exit status or signal); a new one is being started in its slot. */
  workerCrashed: [index: number, detail: string];
  /** A worker (first start or restart) is running. */
  workerReady: [index: number, pid: number];
}

/** Delay before restarting a crashed worker, ms; doubled after each quick crash, up to the max. */
const RESTART_DELAY_MS = 100;
const RESTART_DELAY_MAX_MS = 5_000;
/** A worker that lived longer than this resets the restart delay. */
const QUICK_CRASH_MS = 10_000;

/**
 * Where the worker entry is: media-worker/workerMain.js of the same build (it lives outside
 * media/ because the worker also runs recording captures). Code run from the TypeScript sources
 * (vitest) forks the build of the same tree, hence the path through dist/.
 */
export function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  const built = here.endsWith('.ts') ? '../../../dist/media-worker/workerMain.js' : '../../media-worker/workerMain.js';
  return fileURLToPath(new URL(built, import.meta.url));
}

/**
 * The media plane as N worker processes, each running an ordinary SFU (docs/media-plane.md §
 * Media workers). A room is placed whole on the least-loaded worker; a worker that dies is
 * replaced in its slot and its rooms are reported lost (`roomLost`), other rooms go on.
 * With a UDP port range, each worker gets its own slice of it.
 */
export class WorkerPool extends Emitter<WorkerPoolEvents> implements MediaPlane {
  readonly size: number;
  readonly #options: SfuOptions;
  readonly #maxSubscriptionsPerPeer: number;
  readonly #script: string;
  readonly #slots: (MediaWorker | null)[];
  readonly #delays: number[];
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Refusals counted by workers that have died (the total never goes back). */
  #refusedBefore = 0;
  #closed = false;

  /** @throws ParleyError code 9 on invalid SFU options (checked here, before any fork). */
  constructor(size: number, options: SfuOptions, errorSink: ListenerErrorSink, script: string = workerScript()) {
    super(errorSink);
    const config = resolveMediaConfig(options);
    this.size = size;
    this.#options = options;
    this.#maxSubscriptionsPerPeer = config.maxSubscriptionsPerPeer;
    this.#script = script;
    this.#slots = Array.from({ length: size }, () => null);
    this.#delays = Array.from({ length: size }, () => RESTART_DELAY_MS);
    for (let i = 0; i < size; i++) this.#start(i);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get rooms(): RemoteRoom[] {
    return this.#slots.flatMap((w) => w?.rooms ?? []);
  }

  get capacity(): { reserved: number; refused: number } {
    let reserved = 0;
    let refused = this.#refusedBefore;
    for (const w of this.#slots) {
      if (!w) continue;
      reserved += w.load.reserved;
      refused += w.load.refused;
    }
    return { reserved, refused };
  }

  /** Per-worker figures for the stats endpoint and the benchmark. */
  workers(): { index: number; pid: number | null; ready: boolean; rooms: number; peers: number; cpuMicros: number }[] {
    return this.#slots.map((w, index) => ({
      index,
      pid: w?.pid ?? null,
      ready: w?.ready ?? false,
      rooms: w?.rooms.length ?? 0,
      peers: w?.peerCount ?? 0,
      cpuMicros: w?.load.cpuMicros ?? 0,
    }));
  }

  /** Resolves once every worker has said `ready` (startup, tests). */
  async whenReady(): Promise<void> {
    await Promise.all(
      this.#slots.map((w) => (w === null || w.ready ? Promise.resolve() : new Promise<void>((resolve) => w.once('ready', resolve).once('exited', resolve)))),
    );
  }

  /**
   * Creates a conversation's room on the least-loaded running worker.
   * @throws ParleyError code 16 after close, 0 when no worker runs (all restarting)
   */
  createRoom(id: string): RemoteRoom {
    if (this.#closed) throw closedError('media plane');
    const loads = this.#slots.map((w, index) => ({ index, ready: w?.usable ?? false, rooms: w?.rooms.length ?? 0, peers: w?.peerCount ?? 0 }));
    const chosen = leastLoaded(loads);
    const worker = chosen ? this.#slots[chosen.index] : null;
    if (!worker) throw new ParleyError(ErrorCode.OTHER, 'not enough bandwidth: no media worker running');
    return worker.createRoom(id);
  }

  /** Stops every worker (they close their SFU and flush captures). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const w of this.#slots) {
      if (!w) continue;
      for (const room of w.rooms) room.close();
      w.stop();
    }
  }

  /** Resolves once every worker process has exited (after {@link close}). */
  async whenExited(): Promise<void> {
    await Promise.all(this.#slots.map((w) => w?.whenExited() ?? Promise.resolve()));
  }

  #start(index: number): void {
    const worker = new MediaWorker(index, {
      script: this.#script,
      options: this.#optionsFor(index),
      maxSubscriptionsPerPeer: this.#maxSubscriptionsPerPeer,
      errorSink: this.errorSink,
    });
    const startedAt = Date.now();
    this.#slots[index] = worker;
    worker.once('ready', () => this.emit('workerReady', index, worker.pid ?? 0));
    worker.once('crashed', (rooms, detail) => {
      this.#refusedBefore += worker.load.refused;
      this.emit('workerCrashed', index, detail);
      for (const room of rooms) this.emit('roomLost', room);
    });
    worker.once('exited', () => {
      if (this.#slots[index] === worker) this.#slots[index] = null;
      if (this.#closed) return;
      const quick = Date.now() - startedAt < QUICK_CRASH_MS;
      const delay = quick ? (this.#delays[index] ?? RESTART_DELAY_MS) : RESTART_DELAY_MS;
      this.#delays[index] = quick ? Math.min(delay * 2, RESTART_DELAY_MAX_MS) : RESTART_DELAY_MS;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (!this.#closed) this.#start(index);
      }, delay);
      this.#timers.add(timer);
    });
  }

  /** The SFU options of slot `index`: its own slice of the port range and its own mux port, if set. */
  #optionsFor(index: number): SfuOptions {
    // One UDP mux port per worker: two processes cannot share one socket.
    const mux = this.#options.udpMuxPort;
    const options = mux === undefined ? this.#options : { ...this.#options, udpMuxPort: mux + index };
    const range = options.portRange;
    if (!range) return options;
    const span = Math.floor((range.max - range.min + 1) / this.size);
    if (span < 1) throw new ParleyError(ErrorCode.BAD_PARAMETER, `port range ${range.min}-${range.max} is too small for ${this.size} media workers`);
    const min = range.min + index * span;
    const max = index === this.size - 1 ? range.max : min + span - 1;
    return { ...options, portRange: { min, max } };
  }
}
