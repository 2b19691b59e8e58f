import { ERROR_STREAM_RECORD } from '../constants.js';
import { apiError } from '../util/errors.js';
import { log } from '../util/Logger.js';

const PREFERRED_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm', 'audio/webm;codecs=opus', 'audio/webm'];

/**
 * Local MediaRecorder recording of a stream (`Stream.startRecord/stopRecord`, docs/sdk-reference.md#stream). apiRTC allows
 * one recording at a time per page, hence the single active instance.
 */
export class StreamRecorder {
  static #active: StreamRecorder | null = null;

  readonly #recorder: MediaRecorder;
  readonly #chunks: Blob[] = [];
  readonly #owner: object;

  private constructor(recorder: MediaRecorder, owner: object) {
    this.#recorder = recorder;
    this.#owner = owner;
    recorder.ondataavailable = (ev) => {
      if (ev.data.size > 0) this.#chunks.push(ev.data);
    };
  }

  /**
   * Starts recording `stream` on behalf of `owner` (the Stream object).
   * @throws ApiRTCError code 12 with apiRTC's messages.
   */
  static start(owner: object, stream: MediaStream | null): void {
    if (typeof MediaRecorder === 'undefined') {
      throw apiError(ERROR_STREAM_RECORD, 'MediaRecorder is not supported on this browser, leaving recordStream process');
    }
    if (!stream || stream.getTracks().length === 0) throw apiError(ERROR_STREAM_RECORD, 'Stream has no data, cannot record');
    const current = StreamRecorder.#active;
    if (current && current.#recorder.state === 'recording') {
      throw apiError(ERROR_STREAM_RECORD, 'mediaRecorder is already recording');
    }
    const audioOnly = stream.getVideoTracks().length === 0;
    const mimeType = PREFERRED_TYPES.filter((t) => !audioOnly || t.startsWith('audio/')).find((t) => MediaRecorder.isTypeSupported(t));
    let recorder: MediaRecorder;
    try {
      recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
      recorder.start(1000);
    } catch (err) {
      throw apiError(ERROR_STREAM_RECORD, `mediaRecorder could not start: ${String(err)}`, err);
    }
    StreamRecorder.#active = new StreamRecorder(recorder, owner);
    log.debug('stream recording started', mimeType);
  }

  /**
   * Stops the recording `owner` started and resolves the recorded Blob.
   * @throws ApiRTCError code 12 when `owner` is not recording.
   */
  static stop(owner: object): Promise<Blob> {
    const active = StreamRecorder.#active;
    if (!active || active.#owner !== owner) {
      return Promise.reject(apiError(ERROR_STREAM_RECORD, 'mediaRecorder is not running, use startRecordStream before trying to stop'));
    }
    StreamRecorder.#active = null;
    if (active.#recorder.state === 'inactive') {
      return Promise.reject(apiError(ERROR_STREAM_RECORD, 'mediaRecorder is already inactive'));
    }
    return new Promise((resolve) => {
      active.#recorder.onstop = () => resolve(new Blob(active.#chunks, { type: active.#recorder.mimeType }));
      active.#recorder.stop();
    });
  }
}
