import { byId, h } from '../dom.js';
import { paintAvatar } from './avatarElement.js';

/** Processors the user chose in the device settings (applied to every new stream). */
export interface EffectChoice {
  noiseReduction: boolean;
  blur: boolean;
}

/** The microphone/camera state the user chose. */
export interface MediaChoice {
  audio: boolean;
  video: boolean;
}

/**
 * The local camera + microphone Stream: created with the selected devices
 * (`ua.createStream({audioInputId, videoInputId})`), previewed on the pre-join screen, toggled
 * with enable/disable, and published as is when joining. The mic/camera choice survives a
 * device switch and the absence of a stream (the choice is applied to the next one).
 */
export class LocalMedia {
  readonly #preview = byId('preview');
  readonly #video = byId<HTMLVideoElement>('preview-video');
  readonly #msg = byId('preview-msg');
  readonly #retry = byId<HTMLButtonElement>('media-retry');
  readonly #mic = byId<HTMLButtonElement>('pre-mic');
  readonly #cam = byId<HTMLButtonElement>('pre-cam');
  /** Device lists: the pre-join screen's and the call settings panel's, kept in sync. */
  readonly #cameraSelects = [byId<HTMLSelectElement>('camera-select'), byId<HTMLSelectElement>('call-camera-select')];
  readonly #micSelects = [byId<HTMLSelectElement>('mic-select'), byId<HTMLSelectElement>('call-mic-select')];
  readonly #meter = byId('meter-bar');
  /** Effect checkboxes: pre-join screen's and call settings panel's, kept in sync. */
  readonly #noiseToggles = [byId<HTMLInputElement>('noise-toggle'), byId<HTMLInputElement>('call-noise-toggle')];
  readonly #blurToggles = [byId<HTMLInputElement>('blur-toggle'), byId<HTMLInputElement>('call-blur-toggle')];
  #effects: EffectChoice = { noiseReduction: false, blur: false };
  /** The stream shown and published: the camera stream, or its processed child. */
  #stream: apiRTC.Stream | null = null;
  /** The camera stream itself; releasing it releases its processed children. */
  #base: apiRTC.Stream | null = null;
  #choice: MediaChoice = { audio: true, video: true };
  #starting: Promise<void> | null = null;
  #restart = false;
  #audio: { context: AudioContext; frame: number } | null = null;
  #previewing = true;
  /** Called whenever the stream or its enabled state changes. */
  onChange: () => void = () => undefined;
  /**
   * In a call: puts a new stream (other device) in place of the old one (null: there was
   * none) before the old one is released. Rejecting keeps the old stream.
   */
  replaceHook: ((old: apiRTC.Stream | null, next: apiRTC.Stream) => Promise<void>) | null = null;
  /** A device switch failed in a call (the old stream stays). */
  onSwitchError: (message: string) => void = () => undefined;

  constructor(private readonly ua: apiRTC.UserAgent) {
    this.#mic.addEventListener('click', () => void this.toggle('audio'));
    this.#cam.addEventListener('click', () => void this.toggle('video'));
    this.#retry.addEventListener('click', () => void this.start());
    for (const list of [this.#cameraSelects, this.#micSelects]) {
      for (const select of list) {
        select.addEventListener('change', () => {
          for (const other of list) if (other !== select) other.value = select.value;
          void this.start();
        });
      }
    }
    for (const [list, key] of [
      [this.#noiseToggles, 'noiseReduction'],
      [this.#blurToggles, 'blur'],
    ] as const) {
      for (const box of list) {
        box.addEventListener('change', () => {
          for (const other of list) other.checked = box.checked;
          this.#effects = { ...this.#effects, [key]: box.checked };
          // A new stream with the new effects, put in place like a device switch.
          void this.start();
        });
      }
    }
    ua.on('mediaDeviceChanged', () => this.#fillDevices());
  }

  get stream(): apiRTC.Stream | null {
    return this.#stream;
  }

  /** Microphone on (false without a microphone). */
  get audioOn(): boolean {
    return this.#stream?.hasAudio() === true && this.#stream.isAudioEnabled();
  }

  get videoOn(): boolean {
    return this.#stream?.hasVideo() === true && this.#stream.isVideoEnabled();
  }

  /** Initials + colour shown on the preview while the camera is off. */
  setIdentity(name: string): void {
    paintAvatar(byId('preview-avatar'), name || '?', name || '?');
    byId('preview-name').textContent = name;
  }

  /** Whether the pre-join preview shows the stream (off while in a call). */
  setPreviewing(on: boolean): void {
    this.#previewing = on;
    if (on && this.#stream) this.#stream.attachToElement(this.#video);
    if (!on) this.#video.srcObject = null;
    if (on && this.#stream) this.#startMeter(this.#stream.getData());
    if (!on) this.#stopMeter();
    this.#render();
  }

  /** (Re)creates the stream with the selected devices, keeping the mic/camera choice. */
  start(): Promise<void> {
    if (this.#starting) {
      this.#restart = true;
      return this.#starting;
    }
    this.#starting = this.#start().finally(() => {
      this.#starting = null;
      if (this.#restart) {
        this.#restart = false;
        void this.start();
      }
    });
    return this.#starting;
  }

  /** Resolves once no (re)start is pending. */
  async ready(): Promise<void> {
    while (this.#starting) await this.#starting;
  }

  async #start(): Promise<void> {
    this.#retry.hidden = true;
    const hook = this.replaceHook;
    const old = this.#stream;
    if (!hook) {
      this.#release();
      this.#preview.dataset.state = 'starting';
      this.#msg.textContent = 'Starting camera…';
    }
    try {
      const options: apiRTC.CreateStreamOptions = {};
      const camera = this.#cameraSelects[0]?.value;
      const mic = this.#micSelects[0]?.value;
      if (camera) options.videoInputId = camera;
      if (mic) options.audioInputId = mic;
      const base = await this.ua.createStream(options);
      const stream = await this.#applyEffects(base);
      if (!this.#choice.audio && stream.hasAudio()) await stream.disableAudio();
      if (!this.#choice.video && stream.hasVideo()) await stream.disableVideo();
      if (hook) {
        try {
          await hook(old, stream);
        } catch (error) {
          base.release();
          throw error;
        }
        this.#release();
      }
      this.#base = base;
      this.#stream = stream;
      if (this.#previewing) {
        stream.attachToElement(this.#video);
        this.#startMeter(stream.getData());
      }
      this.#fillDevices();
    } catch (error) {
      if (hook) {
        this.onSwitchError(`Could not switch devices: ${describe(error)}`);
        this.#fillDevices();
      } else {
        this.#stream = null;
        this.#msg.textContent = `Camera and microphone unavailable: ${describe(error)}. You can still join and listen.`;
        this.#retry.hidden = false;
      }
    }
    this.#render();
    this.onChange();
  }

  /** Turns the microphone or the camera on/off (on the stream when there is one). */
  async toggle(kind: 'audio' | 'video'): Promise<void> {
    const stream = this.#stream;
    if (kind === 'audio') {
      this.#choice.audio = !this.audioOn;
      if (stream?.hasAudio()) await (this.#choice.audio ? stream.enableAudio() : stream.disableAudio());
    } else {
      this.#choice.video = !this.videoOn;
      if (stream?.hasVideo()) await (this.#choice.video ? stream.enableVideo() : stream.disableVideo());
    }
    this.#render();
    this.onChange();
  }

  /** Releases the devices (page unload). */
  stop(): void {
    this.#release();
    this.#render();
  }

  /**
   * The chosen processors on top of `base`. One that fails (old browser, model not loading) is
   * reported and its box unticked; the call goes on with the stream the error names.
   */
  async #applyEffects(base: apiRTC.Stream): Promise<apiRTC.Stream> {
    let stream = base;
    const steps = [
      {
        on: this.#effects.noiseReduction && base.hasAudio(),
        key: 'noiseReduction',
        boxes: this.#noiseToggles,
        apply: (s: apiRTC.Stream) => s.applyAudioProcessor('noiseReduction'),
      },
      { on: this.#effects.blur && base.hasVideo(), key: 'blur', boxes: this.#blurToggles, apply: (s: apiRTC.Stream) => s.applyVideoProcessor('blur') },
    ] as const;
    for (const step of steps) {
      if (!step.on) continue;
      try {
        stream = await step.apply(stream);
      } catch (error) {
        this.#effects = { ...this.#effects, [step.key]: false };
        for (const box of step.boxes) box.checked = false;
        this.onSwitchError(`Could not turn on ${step.key === 'blur' ? 'background blur' : 'noise reduction'}: ${describe(error)}`);
        const kept = (error as { stream?: apiRTC.Stream }).stream;
        if (kept) stream = kept;
      }
    }
    return stream;
  }

  #release(): void {
    this.#stopMeter();
    if (this.#base) {
      // Releases the processed child (#stream) with it.
      this.#base.release();
      this.#base = null;
    }
    this.#stream = null;
    this.#video.srcObject = null;
  }

  #render(): void {
    const stream = this.#stream;
    const audioOn = this.audioOn;
    const videoOn = this.videoOn;
    if (stream) this.#preview.dataset.state = videoOn ? 'live' : 'camera-off';
    else if (this.#preview.dataset.state !== 'starting' || !this.#starting) this.#preview.dataset.state = 'off';
    if (stream && !videoOn) this.#msg.textContent = 'Your camera is off';
    this.#preview.dataset.mic = audioOn ? 'on' : 'off';
    this.#mic.disabled = !stream?.hasAudio();
    this.#cam.disabled = !stream?.hasVideo();
    setToggle(this.#mic, audioOn, 'microphone', 'M');
    setToggle(this.#cam, videoOn, 'camera', 'V');
  }

  #fillDevices(): void {
    const devices = this.ua.getUserMediaDevices();
    const current = this.#stream?.getData();
    const inUse = (kind: 'audio' | 'video'): string | undefined =>
      (kind === 'audio' ? current?.getAudioTracks() : current?.getVideoTracks())?.[0]?.getSettings().deviceId;
    for (const select of this.#cameraSelects) fillSelect(select, Object.values(devices.videoinput), inUse('video'), 'Camera');
    for (const select of this.#micSelects) fillSelect(select, Object.values(devices.audioinput), inUse('audio'), 'Microphone');
  }

  #startMeter(media: MediaStream | null): void {
    this.#stopMeter();
    if (!media || media.getAudioTracks().length === 0 || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(media).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const tick = (): void => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const s of samples) peak = Math.max(peak, Math.abs(s - 128));
      this.#meter.style.transform = `scaleX(${this.audioOn ? Math.min(1, peak / 64) : 0})`;
      if (this.#audio) this.#audio.frame = requestAnimationFrame(tick);
    };
    this.#audio = { context, frame: requestAnimationFrame(tick) };
  }

  #stopMeter(): void {
    if (!this.#audio) return;
    cancelAnimationFrame(this.#audio.frame);
    void this.#audio.context.close();
    this.#audio = null;
    this.#meter.style.transform = 'scaleX(0)';
  }
}

/** A mic/camera toggle button: pressed = on; label and tooltip say what a click does. */
export function setToggle(button: HTMLButtonElement, on: boolean, what: string, key?: string): void {
  button.setAttribute('aria-pressed', String(on));
  const action = `Turn ${on ? 'off' : 'on'} ${what}`;
  button.setAttribute('aria-label', action);
  button.dataset.tip = key ? `${action} (${key})` : action;
}

function fillSelect(select: HTMLSelectElement, list: apiRTC.MediaDevice[], selected: string | undefined, kind: string): void {
  const value = selected ?? select.value;
  select.replaceChildren(...list.map((d, i) => h('option', { value: d.getId(), selected: d.getId() === value }, d.getLabel() || `${kind} ${i + 1}`)));
  if (list.length === 0) select.append(h('option', { value: '' }, `No ${kind.toLowerCase()}`));
  select.disabled = list.length === 0;
}

/** The message of an Error, an ApiRTCError or anything else. */
export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const apiError = (error as Partial<apiRTC.ApiRTCError> | null)?.error;
  if (apiError instanceof Error) return apiError.message;
  return String(error);
}
