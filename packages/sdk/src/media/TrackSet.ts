import { Emitter } from '../util/Emitter.js';

/** Track kinds. */
export type TrackKind = 'audio' | 'video';
/** Per-kind values, e.g. `{audio: settings, video: settings}`. */
export type TrackParts<T> = { audio?: T; video?: T };

/** The kind of a track (a MediaStreamTrack's `kind` is `audio` or `video`). */
function kindOf(track: MediaStreamTrack): TrackKind {
  return track.kind === 'audio' ? 'audio' : 'video';
}

/** `{enabled, muted}` of a track kind. */
export interface FlowStatus {
  enabled: boolean;
  muted: boolean;
}

/** Events of a {@link TrackSet}. */
export interface TrackSetEvents {
  /** A track was stopped by the SDK or ended by the browser. */
  trackStopped: [info: { type: TrackKind; id: string; reason: string }];
  /** Every track ended on its own (e.g. "stop sharing" in the browser UI). */
  ended: [];
}

const KINDS: readonly TrackKind[] = ['audio', 'video'];

/**
 * The tracks of one MediaStream and the operations apiRTC performs on them: enable/disable,
 * flow status, stop, constraints. Media-level only; the Stream facade turns its results into
 * apiRTC events.
 */
export class TrackSet extends Emitter<TrackSetEvents> {
  readonly stream: MediaStream;
  #stopping = false;
  #endedReported = false;

  constructor(stream: MediaStream) {
    super();
    this.stream = stream;
    for (const track of stream.getTracks()) this.#watch(track);
  }

  /** Tracks of `kind`. */
  tracks(kind: TrackKind): MediaStreamTrack[] {
    return kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks();
  }

  /** `{enabled, muted}` of the first track of `kind` (`{false, true}` without one). */
  flow(kind: TrackKind): FlowStatus {
    const t = this.tracks(kind)[0];
    return { enabled: t ? t.enabled : false, muted: t ? t.muted : true };
  }

  /** Sets `enabled` on every track of `kind`; returns false when nothing changed. */
  setEnabled(kind: TrackKind, enabled: boolean): boolean {
    const tracks = this.tracks(kind);
    if (tracks.length === 0 || tracks.every((t) => t.enabled === enabled)) return false;
    for (const t of tracks) t.enabled = enabled;
    return true;
  }

  /** Stops and removes the tracks of `kind` (all kinds when omitted), reporting each. */
  stop(reason: string, kind?: TrackKind): void {
    this.#stopping = true;
    try {
      for (const t of kind ? this.tracks(kind) : this.stream.getTracks()) {
        t.stop();
        this.stream.removeTrack(t);
        this.emit('trackStopped', { type: kindOf(t), id: t.id, reason });
      }
    } finally {
      this.#stopping = false;
    }
  }

  /** Reads one value per kind from its first track (kinds without a track are absent). */
  perKind<T>(read: (t: MediaStreamTrack) => T): TrackParts<T> {
    const out: TrackParts<T> = {};
    for (const kind of KINDS) {
      const t = this.tracks(kind)[0];
      if (t) out[kind] = read(t);
    }
    return out;
  }

  /**
   * Applies each part to the first track of its kind.
   * @throws the string `No <kind> track` when a part has no track; the track's error otherwise.
   */
  async applyConstraints(constraints: TrackParts<MediaTrackConstraints>): Promise<void> {
    const jobs: Promise<void>[] = [];
    for (const kind of KINDS) {
      const wanted = constraints[kind];
      if (wanted === undefined) continue;
      const track = this.tracks(kind)[0];
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- apiRTC's constraint errors are strings
      if (!track) throw `No ${kind} track`;
      jobs.push(track.applyConstraints(wanted));
    }
    await Promise.all(jobs);
  }

  #watch(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => {
      // Tracks stopped by stop() fire no 'ended'; the guard only covers odd browsers.
      if (this.#stopping) return;
      this.emit('trackStopped', { type: kindOf(track), id: track.id, reason: 'ended' });
      if (!this.#endedReported && this.stream.getTracks().every((t) => t.readyState === 'ended')) {
        this.#endedReported = true;
        this.emit('ended');
      }
    });
  }
}
