/** Device kinds as the browser names them. */
export type MediaDeviceType = 'audioinput' | 'audiooutput' | 'videoinput';

/**
 * One input/output device, as found in `getUserMediaDevices()` maps and `mediaDeviceChanged`
 * payloads (docs/sdk-reference.md#useragent). Built by the SDK from `navigator.mediaDevices.enumerateDevices()`.
 */
export class MediaDevice {
  /** Browser deviceId. */
  readonly id: string;
  readonly #type: string;
  readonly #label: string;

  constructor(id: string, type: string, label: string) {
    this.id = id;
    this.#type = type;
    this.#label = label;
  }

  /** Empty list: MediaDevice emits no events (kept for a uniform class surface). */
  static getAvailableEvents(): string[] {
    return [];
  }

  /** Browser deviceId (pass it as `audioInputId` / `videoInputId`). */
  getId(): string {
    return this.id;
  }

  /** `'audioinput' | 'audiooutput' | 'videoinput'`. */
  getType(): string {
    return this.#type;
  }

  /** Human-readable label (empty until the page was granted media access). */
  getLabel(): string {
    return this.#label;
  }

  /** Whether this is a camera. */
  isCamera(): boolean {
    return this.#type === 'videoinput';
  }

  /** Whether this is a microphone. */
  isMicrophone(): boolean {
    return this.#type === 'audioinput';
  }

  /** Whether this is a speaker / audio output. */
  isAudioOutput(): boolean {
    return this.#type === 'audiooutput';
  }
}
