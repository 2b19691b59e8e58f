import { mediaDevices } from '../util/platform.js';
import { requestedMedia } from './constraints.js';

/** `userMediaError` payload of the UserAgent (docs/sdk-reference.md#useragent). */
export interface UserMediaErrorInfo {
  error: unknown;
  audio: boolean;
  video: boolean;
  screenSharing: boolean;
}

/** Who hears about media acquisitions (the UserAgent). */
export interface MediaReporter {
  /** A getUserMedia / getDisplayMedia request failed. */
  userMediaError(info: UserMediaErrorInfo): void;
  /** A getUserMedia request succeeded (device labels become readable). */
  userMediaSuccess(): void;
}

function requireMediaDevices(): MediaDevices {
  const md = mediaDevices();
  // Mirrors what the browser throws on insecure origins, so apps see the usual error type.
  if (!md) throw new TypeError('navigator.mediaDevices is not available (secure context required)');
  return md;
}

/**
 * Calls getUserMedia; rejects with the browser's own error (not an ApiRTCError, docs/sdk-reference.md#useragent) after
 * telling `reporter`.
 */
export async function getUserMediaStream(constraints: MediaStreamConstraints, reporter: MediaReporter | undefined): Promise<MediaStream> {
  try {
    const stream = await requireMediaDevices().getUserMedia(constraints);
    reporter?.userMediaSuccess();
    return stream;
  } catch (error) {
    reporter?.userMediaError({ error, ...requestedMedia(constraints), screenSharing: false });
    throw error;
  }
}

/** Calls getDisplayMedia; rejects with the browser's error (e.g. the user cancelled). */
export async function getDisplayMediaStream(constraints: DisplayMediaStreamOptions, reporter: MediaReporter | undefined): Promise<MediaStream> {
  try {
    return await requireMediaDevices().getDisplayMedia(constraints);
  } catch (error) {
    reporter?.userMediaError({ error, audio: Boolean(constraints.audio), video: constraints.video !== false, screenSharing: true });
    throw error;
  }
}
