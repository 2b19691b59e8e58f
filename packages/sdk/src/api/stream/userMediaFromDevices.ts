import { buildUserMediaConstraints, type CreateStreamOptions } from '../../media/constraints.js';
import type { MediaDevice } from '../../media/MediaDevice.js';
import { getUserMediaStream } from '../../media/userMedia.js';
import { runtime } from '../../runtime.js';
import { MEDIA_REPORTER } from '../internal.js';

/**
 * getUserMedia for `Stream.createStreamFromUserMedia`: the given devices (null: the browser's
 * choice) with `constraints` (default audio and video) and the creation options.
 */
export function userMediaFromDevices(
  audioInput: MediaDevice | null,
  videoInput: MediaDevice | null,
  constraints?: MediaStreamConstraints | null,
  options?: CreateStreamOptions,
): Promise<MediaStream> {
  const built = buildUserMediaConstraints({
    ...options,
    constraints: constraints ?? { audio: true, video: true },
    audioInputId: audioInput ? audioInput.getId() : null,
    videoInputId: videoInput ? videoInput.getId() : null,
  });
  return getUserMediaStream(built, runtime.userAgentInstance?.[MEDIA_REPORTER]);
}
