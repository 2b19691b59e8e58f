import { type ChildProcess, fork } from 'node:child_process';
import { ErrorCode, ParleyError } from '@parley/protocol';
import { Emitter, type ListenerErrorSink } from '../../util/Emitter.js';
import { parseCommand, parseEvent } from './channel.js';
import type { RemoteCapture } from './RemoteCapture.js';
import { RemoteRoom, type RemoteRoomOwner } from './RemoteRoom.js';
import type { MediaWorkerCommand, MediaWorkerEvent, SfuOptionsWire } from './wire.js';

/** Events of a {@link MediaWorker}. */
export interface MediaWorkerEvents {
  /** The process answered its first message: it runs an SFU. */
  ready: [];
  /** The process ended without being asked (crash, SIGKILL, OOM); `rooms` were lost with it. */
  crashed: [rooms: RemoteRoom[], detail: string];
  /** The process ended (asked or not). Emitted once. */
  exited: [];
}

/** How to start a worker process. */
export interface MediaWorkerSpawn {
  /** Path of workerMain.js. */
  script: string;
  options: SfuOptionsWire;
  maxSubscriptionsPerPeer: number;
  errorSink: ListenerErrorSink;
}

interface Pending {
  resolve: (reply: { sdp?: string }) => void;
  reject: (error: Error) => void;
}

/**
 * One media worker process (child_process.fork) and its end of the channel: commands are
 * validated and sent (queued until the worker said `ready`), events are validated and routed
 * to the room they name. Requests get their `reply`/`failure` by id; all fail with code 16
 * when the process dies.
 */
export class MediaWorker extends Emitter<MediaWorkerEvents> implements RemoteRoomOwner {
  readonly index: number;
  readonly maxSubscriptionsPerPeer: number;
  readonly #child: ChildProcess;
  readonly #rooms = new Map<string, RemoteRoom>();
  readonly #pending = new Map<number, Pending>();
  readonly #captures = new Map<string, RemoteCapture>();
  #queue: MediaWorkerCommand[] | null = [];
  #requests = 0;
  #captureIds = 0;
  #stopping = false;
  #exited = false;
  /** Last report of the worker. */
  #reserved = 0;
  #refused = 0;
  #cpuMicros = 0;

  constructor(index: number, spawn: MediaWorkerSpawn) {
    super(spawn.errorSink);
    this.index = index;
    this.maxSubscriptionsPerPeer = spawn.maxSubscriptionsPerPeer;
    this.#child = fork(spawn.script, [], {
      env: { ...process.env, PARLEY_MEDIA_WORKER_OPTIONS: JSON.stringify(spawn.options) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    this.#child.on('message', (raw: unknown) => this.#onMessage(raw));
    this.#child.on('exit', (code, signal) => this.#onExit(code, signal));
    // Reported through 'exit' too; an unhandled 'error' (spawn failure) must not crash the server.
    this.#child.on('error', (error) => this.errorSink(error, 'media worker process'));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Accepting rooms: started and not stopping or dead. */
  get usable(): boolean {
    return !this.#stopping && !this.#exited;
  }

  get ready(): boolean {
    return this.usable && this.#queue === null;
  }

  get rooms(): RemoteRoom[] {
    return [...this.#rooms.values()];
  }

  get peerCount(): number {
    let n = 0;
    for (const room of this.#rooms.values()) n += room.peers.length;
    return n;
  }

  /** PeerConnections reserved / refused, CPU time used (µs), as of the last report. */
  get load(): { reserved: number; refused: number; cpuMicros: number } {
    return { reserved: this.#reserved, refused: this.#refused, cpuMicros: this.#cpuMicros };
  }

  createRoom(id: string): RemoteRoom {
    if (!this.usable) throw new ParleyError(ErrorCode.WRONG_STATE, `media worker ${this.index} is not running`);
    const room = new RemoteRoom(this, id, this.index);
    this.#rooms.set(id, room);
    return room;
  }

  /** Asks the process to end (it closes its SFU and flushes captures). Idempotent. */
  stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#exited) return;
    if (this.#child.connected) this.#child.disconnect();
    else this.#child.kill('SIGTERM');
  }

  /** Resolves once the process exited. */
  whenExited(): Promise<void> {
    if (this.#exited) return Promise.resolve();
    return new Promise((resolve) => this.once('exited', resolve));
  }

  /** @internal {@link RemoteRoomOwner} */
  send(command: MediaWorkerCommand): void {
    const checked = parseCommand(command);
    if (this.#exited || this.#stopping) return;
    if (this.#queue) this.#queue.push(checked);
    else this.#child.send(checked);
  }

  /** @internal {@link RemoteRoomOwner} */
  request(command: MediaWorkerCommand & { req: number }): Promise<{ sdp?: string }> {
    if (this.#exited || this.#stopping) return Promise.reject(new ParleyError(ErrorCode.WRONG_STATE, `media worker ${this.index} is not running`));
    return new Promise((resolve, reject) => {
      this.#pending.set(command.req, { resolve, reject });
      try {
        this.send(command);
      } catch (error) {
        this.#pending.delete(command.req);
        reject(error);
      }
    });
  }

  /** @internal {@link RemoteRoomOwner} */
  nextRequestId(): number {
    return ++this.#requests;
  }

  /** @internal {@link RemoteRoomOwner} */
  nextCaptureId(): string {
    return `cap-${(++this.#captureIds).toString(36)}`;
  }

  /** @internal {@link RemoteRoomOwner} */
  watchCapture(id: string, capture: RemoteCapture | null): void {
    if (capture) this.#captures.set(id, capture);
    else this.#captures.delete(id);
  }

  /** @internal {@link RemoteRoomOwner} */
  roomClosed(room: RemoteRoom): void {
    if (this.#rooms.get(room.id) === room) this.#rooms.delete(room.id);
  }

  #onMessage(raw: unknown): void {
    let event: MediaWorkerEvent;
    try {
      event = parseEvent(raw);
    } catch (error) {
      this.errorSink(error, 'media worker message');
      return;
    }
    switch (event.ev) {
      case 'ready': {
        const queued = this.#queue ?? [];
        this.#queue = null;
        for (const command of queued) this.#child.send(command);
        this.emit('ready');
        return;
      }
      case 'reply':
      case 'failure': {
        const pending = this.#pending.get(event.req);
        if (!pending) return;
        this.#pending.delete(event.req);
        if (event.ev === 'reply') pending.resolve(event.sdp !== undefined ? { sdp: event.sdp } : {});
        else pending.reject(new ParleyError(event.code, event.message));
        return;
      }
      case 'captureStarted':
        this.#captures.get(event.capture)?.started(event.at);
        return;
      case 'stats':
        this.#reserved = event.reserved;
        this.#refused = event.refused;
        this.#cpuMicros = event.cpuMicros;
        for (const p of event.peers) this.#rooms.get(p.room)?.setCounters(p.peer, p);
        return;
      default:
        this.#rooms.get(event.room)?.handleEvent(event);
    }
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#exited) return;
    this.#exited = true;
    const gone = new ParleyError(ErrorCode.WRONG_STATE, `media worker ${this.index} exited`);
    for (const pending of this.#pending.values()) pending.reject(gone);
    this.#pending.clear();
    this.#captures.clear();
    const rooms = [...this.#rooms.values()];
    this.#rooms.clear();
    for (const room of rooms) room.lost();
    if (!this.#stopping) this.emit('crashed', rooms, signal !== null ? `signal ${signal}` : `status ${String(code)}`);
    this.emit('exited');
    this.removeAllListeners();
  }
}
