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

/**
 * Why camera and microphone are out of reach on an insecure page: browsers expose
 * `navigator.mediaDevices` only in secure contexts (HTTPS, or http://localhost and 127.0.0.1),
 * and the bare TypeError an app would otherwise get does not say so.
 */
export function insecureContextMessage(origin: string): string {
  return (
    `Camera, microphone and screen capture need a secure context, and this page (${origin}) is not one: ` +
    'browsers allow them only on pages served over HTTPS or from localhost. ' +
    'Serve the app over HTTPS (e.g. behind a reverse proxy with a certificate, see Parley docs/deployment.md).'
  );
}

function requireMediaDevices(): MediaDevices {
  const md = mediaDevices();
  if (md) return md;
  // A TypeError, as the browser's own failure would be, so apps see the usual error type.
  if (globalThis.isSecureContext === false) throw new TypeError(insecureContextMessage(typeof location !== 'undefined' ? location.origin : 'this page'));
  throw new TypeError('navigator.mediaDevices is not available in this browser');
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
