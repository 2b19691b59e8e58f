import { Emitter } from '../../util/Emitter.js';

/** Events of a {@link RemoteCapture} (those of TrackCapture). */
export interface RemoteCaptureEvents {
  /** The worker wrote the first packet at `startedAt` (ms since epoch). */
  started: [startedAt: number];
}

/** How a capture reaches its worker. */
export interface RemoteCaptureChannel {
  start(capture: RemoteCapture): void;
  stop(): Promise<void>;
}

/**
 * A track recording that runs inside the media worker holding the track (a TrackCapture there):
 * the RTP never crosses the process boundary, only start, stop and the first packet's time do.
 * The worker writes the segment file in the server's recording directory (same machine).
 */
export class RemoteCapture extends Emitter<RemoteCaptureEvents> {
  readonly #channel: RemoteCaptureChannel;
  #started = false;
  #stopping: Promise<void> | null = null;

  constructor(channel: RemoteCaptureChannel) {
    super();
    this.#channel = channel;
  }

  start(): void {
    if (this.#started || this.#stopping) return;
    this.#started = true;
    this.#channel.start(this);
  }

  /** Resolves once the worker flushed the file (or at once when the worker is gone). Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#started ? this.#channel.stop() : Promise.resolve();
    return this.#stopping;
  }

  /** @internal The worker's `captureStarted`. */
  started(at: number): void {
    if (!this.#stopping) this.emit('started', at);
  }
}
