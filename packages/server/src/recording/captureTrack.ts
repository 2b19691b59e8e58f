import type { MediaTrack } from '../media/MediaApi.js';
import { PublishedTrack } from '../media/PublishedTrack.js';
import { RemoteTrack } from '../media/worker/RemoteTrack.js';
import { captureExtension, TrackCapture } from './TrackCapture.js';

/** A running capture of one track into one file, wherever the track lives. */
export interface TrackCaptureHandle {
  on(event: 'started', listener: (startedAt: number) => void): unknown;
  start(): void;
  stop(): Promise<void>;
}

/** The file extension a capture of `track` gets, or undefined when its codec is not captured. */
export function extensionOf(track: MediaTrack): 'ivf' | 'ogg' | undefined {
  if (track instanceof PublishedTrack) return captureExtension(track);
  if (track instanceof RemoteTrack) return track.codec === 'VP8' ? 'ivf' : track.codec === 'opus' ? 'ogg' : undefined;
  return undefined;
}

/**
 * A capture of `track` into `file`: a TrackCapture here for an in-process SFU, the same in the
 * media worker holding the track otherwise (the packets never cross the process boundary).
 * @throws Error when the codec is not captured or the track is of an unknown kind
 */
export function captureTrack(track: MediaTrack, file: string): TrackCaptureHandle {
  if (track instanceof PublishedTrack) return new TrackCapture(track, file);
  if (track instanceof RemoteTrack) {
    if (!extensionOf(track)) throw new Error(`codec of track ${track.id} is not recorded`);
    return track.capture(file);
  }
  throw new Error(`track ${track.id} cannot be captured`);
}
