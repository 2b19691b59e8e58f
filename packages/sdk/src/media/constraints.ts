/** `userAgent.createStream()` options (docs/sdk-reference.md#option-types, CreateStreamOptions). */
export interface CreateStreamOptions {
  /** Passed to getUserMedia; `{audio: true, video: true}` semantics when absent. */
  constraints?: MediaStreamConstraints;
  /** Device id, `false` for no audio, `null` to follow `constraints` only. */
  audioInputId?: string | boolean | null;
  /** Device id, `false` for no video, `null` to follow `constraints` only. */
  videoInputId?: string | boolean | null;
  /** `'user' | 'environment'`. */
  facingMode?: string;
  /** Chrome: turns echo cancellation, auto gain and noise suppression off (P2). */
  enhancedAudioActivated?: boolean;
  /** P2, accepted and ignored. */
  tryAudioOnlyAfterUserMediaError?: boolean;
}

type Part = boolean | MediaTrackConstraints;

function withDevice(base: Part | undefined, deviceId: string): MediaTrackConstraints {
  const obj = typeof base === 'object' ? base : {};
  return { ...obj, deviceId: { exact: deviceId } };
}

/**
 * One medium's constraint: requested unless its id is `false`, or `null` while `constraints` lacks
 * that medium; a string id becomes an exact `deviceId`.
 */
function part(id: string | boolean | null | undefined, given: Part | undefined): Part {
  if (id === false) return false;
  if (id === null) return given ?? false;
  if (typeof id === 'string' && id !== '') return withDevice(given, id);
  return given ?? true;
}

/** Builds the getUserMedia constraints of `createStream(options)` (docs/sdk-reference.md#useragent). */
export function buildUserMediaConstraints(options: CreateStreamOptions = {}): MediaStreamConstraints {
  const given = options.constraints ?? {};
  let audio = part(options.audioInputId, given.audio);
  let video = part(options.videoInputId, given.video);
  if (options.facingMode && video !== false) {
    video = { ...(typeof video === 'object' ? video : {}), facingMode: options.facingMode };
  }
  if (options.enhancedAudioActivated && audio !== false) {
    audio = {
      ...(typeof audio === 'object' ? audio : {}),
      echoCancellation: false,
      autoGainControl: false,
      noiseSuppression: false,
    };
  }
  return { audio, video };
}

/** Which media a request asked for, for the `userMediaError` payload. */
export function requestedMedia(constraints: MediaStreamConstraints): { audio: boolean; video: boolean } {
  return { audio: Boolean(constraints.audio), video: Boolean(constraints.video) };
}
