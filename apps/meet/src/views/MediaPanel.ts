import { byId, h } from '../dom.js';
import { paintAvatar } from './avatarElement.js';

/**
 * Camera and microphone preview: start, device selection (getUserMediaDevices + createStream
 * with device ids), mic/camera toggles (enable/disable), and a microphone level meter.
 */
export class MediaPanel {
  readonly #preview = byId('preview');
  readonly #video = byId<HTMLVideoElement>('preview-video');
  readonly #start = byId<HTMLButtonElement>('camera-start');
  readonly #error = byId('media-error');
  readonly #mic = byId<HTMLButtonElement>('mic-btn');
  readonly #cam = byId<HTMLButtonElement>('cam-btn');
  readonly #cameraSelect = byId<HTMLSelectElement>('camera-select');
  readonly #micSelect = byId<HTMLSelectElement>('mic-select');
  readonly #meter = byId('meter-bar');
  #stream: apiRTC.Stream | null = null;
  #busy = false;
  #audio: { context: AudioContext; frame: number } | null = null;

  constructor(private readonly ua: apiRTC.UserAgent) {
    this.#start.addEventListener('click', () => void this.start());
    this.#mic.addEventListener('click', () => void this.#toggle('audio'));
    this.#cam.addEventListener('click', () => void this.#toggle('video'));
    this.#cameraSelect.addEventListener('change', () => void this.start());
    this.#micSelect.addEventListener('change', () => void this.start());
    ua.on('mediaDeviceChanged', () => this.#fillDevices());
  }

  /** Shows the user's avatar while the camera is off. */
  setIdentity(id: string, name: string): void {
    paintAvatar(byId('preview-avatar'), id, name);
  }

  /** (Re)starts the preview with the selected devices, keeping the mic/camera choices. */
  async start(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#error.hidden = true;
    const keep = this.#stream ? { audio: this.#stream.isAudioEnabled(), video: this.#stream.isVideoEnabled() } : null;
    this.stop();
    this.#preview.dataset.state = 'starting';
    try {
      const options: apiRTC.CreateStreamOptions = {};
      if (this.#cameraSelect.value) options.videoInputId = this.#cameraSelect.value;
      if (this.#micSelect.value) options.audioInputId = this.#micSelect.value;
      const stream = await this.ua.createStream(options);
      this.#stream = stream;
      stream.attachToElement(this.#video);
      if (keep && !keep.audio) await stream.disableAudio();
      if (keep && !keep.video) await stream.disableVideo();
      this.#startMeter(stream.getData());
      this.#fillDevices();
      this.#render();
    } catch (error) {
      this.#preview.dataset.state = 'off';
      this.#error.hidden = false;
      this.#error.textContent = `Could not start the camera: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.#busy = false;
    }
  }

  /** Releases the devices. */
  stop(): void {
    this.#stopMeter();
    if (this.#stream) {
      this.#stream.release();
      this.#stream = null;
    }
    this.#video.srcObject = null;
    this.#render();
  }

  async #toggle(kind: 'audio' | 'video'): Promise<void> {
    const stream = this.#stream;
    if (!stream) return;
    if (kind === 'audio') await (stream.isAudioEnabled() ? stream.disableAudio() : stream.enableAudio());
    else await (stream.isVideoEnabled() ? stream.disableVideo() : stream.enableVideo());
    this.#render();
  }

  #render(): void {
    const stream = this.#stream;
    const audioOn = stream?.isAudioEnabled() ?? false;
    const videoOn = stream?.isVideoEnabled() ?? false;
    this.#preview.dataset.state = !stream ? 'off' : videoOn ? 'live' : 'camera-off';
    this.#preview.dataset.mic = audioOn ? 'on' : 'off';
    this.#mic.disabled = !stream?.hasAudio();
    this.#cam.disabled = !stream?.hasVideo();
    this.#setToggle(this.#mic, stream ? audioOn : null, 'Mic');
    this.#setToggle(this.#cam, stream ? videoOn : null, 'Camera');
  }

  /** `on` null: no stream yet, a neutral label. */
  #setToggle(button: HTMLButtonElement, on: boolean | null, what: string): void {
    button.setAttribute('aria-pressed', String(on ?? false));
    const label = button.querySelector('span');
    if (label) label.textContent = on === null ? what : `${what} ${on ? 'on' : 'off'}`;
  }

  #fillDevices(): void {
    const devices = this.ua.getUserMediaDevices();
    const current = this.#stream?.getData();
    const inUse = (kind: 'audio' | 'video'): string | undefined =>
      (kind === 'audio' ? current?.getAudioTracks() : current?.getVideoTracks())?.[0]?.getSettings().deviceId;
    this.#fillSelect(this.#cameraSelect, Object.values(devices.videoinput), inUse('video'), 'Camera');
    this.#fillSelect(this.#micSelect, Object.values(devices.audioinput), inUse('audio'), 'Microphone');
  }

  #fillSelect(select: HTMLSelectElement, list: apiRTC.MediaDevice[], selected: string | undefined, kind: string): void {
    const value = selected ?? select.value;
    select.replaceChildren(
      ...list.map((d, i) => h('option', { value: d.getId(), selected: d.getId() === value }, d.getLabel() || `${kind} ${i + 1}`)),
    );
    select.disabled = list.length === 0;
  }

  #startMeter(media: MediaStream): void {
    if (media.getAudioTracks().length === 0 || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(media).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const tick = (): void => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const s of samples) peak = Math.max(peak, Math.abs(s - 128));
      const enabled = this.#stream?.isAudioEnabled() ?? false;
      this.#meter.style.transform = `scaleX(${enabled ? Math.min(1, peak / 64) : 0})`;
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
