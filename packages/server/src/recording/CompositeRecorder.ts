import { join } from 'node:path';
import type { Logger } from '../logging/logger.js';
import type { MediaTrack as PublishedTrack, MediaRoom as Room } from '../media/MediaApi.js';
import type { RecordingStore } from './RecordingStore.js';
import { captureTrack, extensionOf, type TrackCaptureHandle } from './captureTrack.js';

/** What a {@link CompositeRecorder} needs. */
export interface CompositeRecorderDeps {
  store: RecordingStore;
  log: Logger;
  /** Whether a track belongs in this recording (options audioOnly / videoOnly / labels). */
  accept: (track: PublishedTrack) => boolean;
}

/**
 * The capture side of one running recording: a {@link TrackCapture} (one segment file) for every
 * accepted track of the room, including tracks published later (a stream published again is a
 * new track, hence a new segment). Each segment's wall-clock start goes to the store as soon as its first
 * packet is written, which is all the composer needs, now or after a crash.
 */
export class CompositeRecorder {
  readonly mediaId: string;
  readonly dir: string;
  readonly #room: Room;
  readonly #deps: CompositeRecorderDeps;
  readonly #captures = new Set<TrackCaptureHandle>();
  #stopping: Promise<void> | null = null;

  constructor(mediaId: string, dir: string, room: Room, deps: CompositeRecorderDeps) {
    this.mediaId = mediaId;
    this.dir = dir;
    this.#room = room;
    this.#deps = deps;
  }

  get stopped(): boolean {
    return this.#stopping !== null;
  }

  /** Starts capturing every track present and those to come. */
  start(): void {
    this.#room.on('trackPublished', this.#onTrack);
    for (const track of this.#room.tracks) this.#onTrack(track);
  }

  /** Stops every capture and waits for the files to be closed. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#room.off('trackPublished', this.#onTrack);
      this.#deps.store.stopped(this.mediaId, Date.now());
      await Promise.all([...this.#captures].map((c) => c.stop()));
      this.#captures.clear();
    })();
    return this.#stopping;
  }

  readonly #onTrack = (track: PublishedTrack): void => {
    if (this.stopped || track.closed || !this.#deps.accept(track)) return;
    const { store, log } = this.#deps;
    const ext = extensionOf(track);
    if (!ext) {
      log.warn({ mediaId: this.mediaId, track: track.id }, 'recording: codec not recorded (VP8 and Opus are)');
      return;
    }
    const file = `seg-${Date.now().toString(36)}-${track.kind}-${track.id.replace(/[^\w-]/g, '_')}.${ext}`;
    const seq = store.addSegment(this.mediaId, track.kind, file);
    const capture = captureTrack(track, join(this.dir, file));
    this.#captures.add(capture);
    capture.on('started', (at) => store.segmentStarted(this.mediaId, seq, at));
    capture.start();
  };
}
