import { createWriteStream, type WriteStream } from 'node:fs';
import type { PublishedTrack } from '../media/index.js';
import type { TrackOutput } from '../media/PublishedTrack.js';
import { Emitter } from '../util/Emitter.js';
import { OpusOggWriter } from './OpusOggWriter.js';
import { RedUnwrapper } from '../media/rtp/red.js';
import { Vp8IvfWriter } from './Vp8IvfWriter.js';

/** Events of a {@link TrackCapture}. */
export interface TrackCaptureEvents {
  /** The first packet was written at `startedAt` (ms since epoch): the file's time 0. */
  started: [startedAt: number];
}

/** Keyframe request period while the video waits for one (start, or after a loss). */
const KEYFRAME_RETRY_MS = 1_000;

/** The file extension a capture of `track` gets, or undefined when its codec is not captured. */
export function captureExtension(track: PublishedTrack): 'ivf' | 'ogg' | undefined {
  const codec = track.codecs[0]?.codec.name;
  return codec === 'VP8' ? 'ivf' : codec === 'opus' ? 'ogg' : undefined;
}

/**
 * Captures one published track into a file as a {@link TrackOutput} of the track: VP8 into IVF,
 * Opus into Ogg, depacketised in the server (no process, no socket per track), with the
 * publisher's own sequence numbers and timestamps (other outputs rewrite the packet in place, so
 * the values the track read before them are used). Both formats are written as they go: a
 * capture cut short by a crash is readable up to its last frame. Video starts at a keyframe,
 * asked for with PLIs, and the wall-clock time of the first written packet is the file's time 0.
 */
export class TrackCapture extends Emitter<TrackCaptureEvents> implements TrackOutput {
  readonly track: PublishedTrack;
  readonly file: string;
  readonly bitrateShare = 0;

  readonly #out: WriteStream;
  readonly #writer: Vp8IvfWriter | OpusOggWriter;
  #keyframeTimer: NodeJS.Timeout | null = null;
  #started = false;
  #closed: Promise<void> | null = null;
  /** The track's RED payload type (unwrapped to its Opus), -1 when none. */
  readonly #redPt: number;
  #red: RedUnwrapper | null = null;

  /** @throws Error when the track's codec is not captured (see {@link captureExtension}) */
  constructor(track: PublishedTrack, file: string) {
    super();
    const ext = captureExtension(track);
    if (!ext) throw new Error(`codec of track ${track.id} is not recorded`);
    this.track = track;
    this.file = file;
    this.#redPt = track.codecs.find((c) => c.codec.name === 'red')?.payloadType ?? -1;
    this.#out = createWriteStream(file, { mode: 0o600 });
    this.#out.on('error', () => void this.stop());
    this.#writer = ext === 'ivf' ? new Vp8IvfWriter(this.#out) : new OpusOggWriter(this.#out);
  }

  /** Attaches to the track (and asks for a keyframe). */
  start(): void {
    if (this.#closed) return;
    this.track.addOutput(this);
    if (this.track.kind === 'video') this.#askKeyframe();
  }

  /** Detaches and closes the file. Idempotent; resolves once the file is flushed. */
  stop(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#stopAsking();
      this.track.removeOutput(this);
      this.#out.end(() => resolve());
      this.#out.once('error', () => resolve());
    });
    return this.#closed;
  }

  /** @internal {@link TrackOutput}: hot path, one call per packet of the track. */
  forward(packet: Buffer, inPt: number, inSeq: number, inTs: number): void {
    if (this.#closed) return;
    if (inPt === this.#redPt) {
      // The file holds Opus: the primary block of a RED packet.
      const opus = (this.#red ??= new RedUnwrapper()).unwrap(packet);
      if (opus === null) return;
      packet = opus;
    }
    const result = this.#writer.write(packet, inSeq, inTs);
    if (result === 'needKeyframe') {
      this.#askKeyframe();
      return;
    }
    this.#stopAsking();
    if (!this.#started && (this.#writer instanceof Vp8IvfWriter ? this.#writer.frames : this.#writer.packets) > 0) {
      this.#started = true;
      this.emit('started', Date.now());
    }
  }

  /** @internal {@link TrackOutput}: sender reports are not needed (one clock per file). */
  forwardSenderReport(): void {}

  /** @internal {@link TrackOutput}: the track ended; so does the file. */
  sourceClosed(): void {
    void this.stop();
  }

  #askKeyframe(): void {
    if (this.#keyframeTimer) return;
    this.track.requestKeyframe();
    this.#keyframeTimer = setInterval(() => this.track.requestKeyframe(), KEYFRAME_RETRY_MS);
  }

  #stopAsking(): void {
    if (this.#keyframeTimer) clearInterval(this.#keyframeTimer);
    this.#keyframeTimer = null;
  }
}
