import type { ConvRecordingEvent, RecordingInfo } from '@parley/protocol';
import { CONVERSATION_RECORDING_STARTED_DELAY, CONVERSATION_RECORDING_STOPPED_DELAY, ERROR_OTHER } from '../../constants.js';
import { RequestError } from '../../engine/RequestError.js';
import { apiError } from '../../util/errors.js';
import type { ConversationScope } from './context.js';
import { errorText } from './relay.js';

/** What `startRecording(options)` reads (apiRTC RecordingOptions; `data` and `ttl` are not used). */
export interface RecordingOptions {
  audioOnly?: boolean;
  videoOnly?: boolean;
  mode?: string;
  labelEnabled?: boolean;
  labels?: string[];
  customIdInFilename?: string;
}

/**
 * The composite recording of a joined conversation as apiRTC shows it: `startRecording()` /
 * `stopRecording()` with apiRTC's rejections (busy, timeout, the server's refusal), the
 * `recordingStarted` / `recordingStopped` / `recordingAvailable` events from the server's
 * `conv.recording`, and `isRecorded()` / `getRecordingInfo()` (also right after joining a
 * conversation being recorded).
 */
export class ConversationRecording {
  readonly #scope: ConversationScope;
  #info: RecordingInfo | null = null;
  #busy = false;

  constructor(scope: ConversationScope) {
    this.#scope = scope;
  }

  get recorded(): boolean {
    return this.#info !== null;
  }

  get info(): RecordingInfo | null {
    return this.#info === null ? null : { ...this.#info };
  }

  async start(options: RecordingOptions): Promise<RecordingInfo> {
    if (!this.#scope.joined()) throw apiError(ERROR_OTHER, 'startRecording() - conversation not joined');
    if (this.#busy) throw apiError(ERROR_OTHER, 'startRecording() - busy');
    this.#busy = true;
    try {
      const data = await this.#scope.ctx.request(
        {
          type: 'conv.startRecording',
          conversation: this.#scope.name,
          audioOnly: options.audioOnly === true,
          videoOnly: options.videoOnly === true,
          labelEnabled: options.labelEnabled === true,
          ...(typeof options.mode === 'string' ? { mode: options.mode.slice(0, 32) } : {}),
          ...(Array.isArray(options.labels) ? { labels: options.labels.map(String) } : {}),
          ...(typeof options.customIdInFilename === 'string' ? { customIdInFilename: options.customIdInFilename } : {}),
        },
        { timeoutMs: CONVERSATION_RECORDING_STARTED_DELAY },
      );
      if (!data) throw new Error('no answer');
      this.#info = data.info;
      return { ...data.info };
    } catch (err) {
      if (err instanceof RequestError && err.kind === 'timeout') throw apiError(ERROR_OTHER, 'startRecording() - timeout', err);
      throw apiError(ERROR_OTHER, `startRecording() - ${errorText(err)}`, err);
    } finally {
      this.#busy = false;
    }
  }

  async stop(): Promise<RecordingInfo | null> {
    if (this.#busy) throw apiError(ERROR_OTHER, 'stopRecording() - busy');
    this.#busy = true;
    const last = this.info;
    try {
      const data = await this.#scope.ctx.request(
        { type: 'conv.stopRecording', conversation: this.#scope.name },
        { timeoutMs: CONVERSATION_RECORDING_STOPPED_DELAY },
      );
      return data ? { ...data.info } : last;
    } catch (err) {
      // apiRTC resolves with the last known info when the confirmation does not come in time.
      if (err instanceof RequestError && err.kind === 'timeout') return last;
      throw apiError(ERROR_OTHER, `stopRecording() - ${errorText(err)}`, err);
    } finally {
      this.#busy = false;
    }
  }

  /** A `conv.recording` event of this conversation. */
  onEvent(e: ConvRecordingEvent): void {
    const emit = this.#scope.emit;
    switch (e.state) {
      case 'started':
        this.#info = e.info;
        emit('recordingStarted', { ...e.info });
        return;
      case 'ongoing':
        this.#info = e.info;
        return;
      case 'stopped':
        this.#info = null;
        emit('recordingStopped', { ...e.info });
        return;
      case 'available':
        emit('recordingAvailable', { ...e.info });
        return;
    }
  }

  /** Left or session ended: nothing is known to be recorded any more. */
  reset(): void {
    this.#info = null;
    this.#busy = false;
  }
}
