import { log } from '../util/Logger.js';

/** `addInDiv` style argument: width/height copied to the element, `controls: true` shows controls. */
export interface MediaElementStyle {
  width?: string | number;
  height?: string | number;
  controls?: boolean;
}

function cssSize(v: string | number): string {
  return typeof v === 'number' ? `${v}px` : v;
}

/** Starts playback; autoplay refusals are expected (no user gesture yet) and only logged. */
export function play(element: HTMLMediaElement): void {
  // Older browsers return undefined rather than a promise; Promise.resolve() takes either.
  Promise.resolve(element.play()).catch((err: unknown) => log.warn('media playback did not start (autoplay policy?)', err));
}

/** Sets `srcObject` and starts playback (docs/sdk-reference.md#stream, attachToElement). */
export function attachMediaStream(element: HTMLMediaElement, stream: MediaStream | null): void {
  element.srcObject = stream;
  if (stream) play(element);
}

/**
 * Creates the media element of `addInDiv` (docs/sdk-reference.md#stream): `<audio>` for an audio-only stream, else
 * `<video>`, with id `mediaEltId`, autoplay, `muted` as given, size and controls from `style`, then
 * appends it to the element `divId` and starts playback. An element with that id already in the
 * div is reused rather than duplicated.
 */
export function addMediaElement(
  stream: MediaStream,
  divId: string,
  mediaEltId: string,
  style: MediaElementStyle | null | undefined,
  muted: boolean,
): HTMLMediaElement | null {
  if (typeof document === 'undefined') return null;
  const container = document.getElementById(divId);
  if (!container) {
    log.error(`addInDiv() - no element with id "${divId}"`);
    return null;
  }
  const existing = document.getElementById(mediaEltId);
  if (existing instanceof HTMLMediaElement && container.contains(existing)) {
    attachMediaStream(existing, stream);
    return existing;
  }
  const audioOnly = stream.getVideoTracks().length === 0 && stream.getAudioTracks().length > 0;
  const element = document.createElement(audioOnly ? 'audio' : 'video');
  element.id = mediaEltId;
  element.autoplay = true;
  element.muted = Boolean(muted);
  // The attribute, not just the property, is what lets muted autoplay start in every browser.
  if (muted) element.setAttribute('muted', '');
  element.setAttribute('playsinline', '');
  if (style?.width !== undefined) element.style.width = cssSize(style.width);
  if (style?.height !== undefined) element.style.height = cssSize(style.height);
  if (style?.controls === true) element.controls = true;
  element.srcObject = stream;
  container.appendChild(element);
  play(element);
  return element;
}

/** Removes `mediaEltId` (and its iOS `_sepAudio` companion) from `divId`; silent when absent. */
export function removeMediaElement(divId: string, mediaEltId: string): void {
  if (typeof document === 'undefined') return;
  const container = document.getElementById(divId);
  if (!container) return;
  for (const id of [mediaEltId, `${mediaEltId}_sepAudio`]) {
    const el = document.getElementById(id);
    if (el && container.contains(el)) {
      if (el instanceof HTMLMediaElement) el.srcObject = null;
      el.remove();
    }
  }
}
