import type { Toasts } from './Toasts.js';

/** The RecordingInfo fields the control shows. */
interface Info {
  mediaURL: string;
  recordedFileName: string;
}

/**
 * The record button and the download link of a meeting: starts and stops the conversation's
 * composite recording, shows that it runs (anyone may have started it), and offers the MP4 once
 * the server says it is ready (`recordingAvailable`).
 */
export class RecordingControl {
  readonly #conv: apiRTC.Conversation;
  readonly #button: HTMLButtonElement;
  readonly #link: HTMLAnchorElement;
  readonly #toasts: Toasts;
  #busy = false;

  constructor(conv: apiRTC.Conversation, button: HTMLButtonElement, link: HTMLAnchorElement, toasts: Toasts) {
    this.#conv = conv;
    this.#button = button;
    this.#link = link;
    this.#toasts = toasts;
    conv.on('recordingStarted', () => {
      this.#render();
      this.#toasts.show('Recording started', 'info');
    });
    conv.on('recordingStopped', () => {
      this.#render();
      this.#toasts.show('Recording stopped: the file is being prepared', 'info');
    });
    conv.on('recordingAvailable', (info: Info) => {
      this.#link.href = info.mediaURL;
      this.#link.download = info.recordedFileName;
      this.#link.hidden = false;
      this.#toasts.show('The recording is ready to download', 'info', 8000);
    });
  }

  /** Starts or stops, from the button. */
  async toggle(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#button.disabled = true;
    try {
      if (this.#conv.isRecorded()) await this.#conv.stopRecording();
      else await this.#conv.startRecording();
    } catch (error) {
      const message = (error as { error?: Error }).error?.message ?? String(error);
      this.#toasts.show(`Recording: ${message}`, 'error', 8000);
    } finally {
      this.#busy = false;
      this.#button.disabled = false;
      this.#render();
    }
  }

  /** Button state from the conversation (also right after joining a recorded one). */
  #render(): void {
    const on = this.#conv.isRecorded();
    this.#button.setAttribute('aria-pressed', String(on));
    const label = on ? 'Stop recording' : 'Record the meeting';
    this.#button.setAttribute('aria-label', label);
    this.#button.dataset.tip = label;
  }

  /** Called once joined: a recording may already run. */
  refresh(): void {
    this.#render();
  }
}
