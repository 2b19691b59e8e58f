import type { AudioProcessorType, ProcessorHooks, ProcessorHost, VideoProcessorOptions, VideoProcessorType } from '../../../api/stream/ProcessorHost.js';
import type { Stream } from '../../../api/Stream.js';
import { BackgroundProcessor, loadBackgroundImage, type BackgroundProcessorEvents } from '../background/BackgroundProcessor.js';
import { NoiseFilter, type NoiseIntensity } from '../NoiseFilter.js';

type Kind = 'audio' | 'video';

/** A processed child stream and the pipeline producing its track. */
interface Child {
  stream: Stream;
  close(): void;
}
interface VideoChild extends Child {
  processor: BackgroundProcessor;
  imageUrl: string | undefined;
}

/** Each Stream's processor state; lets one Stream reach another's without exposing it to apps. */
const registry = new WeakMap<Stream, StreamProcessors>();

/**
 * Audio and video processors of one local Stream (docs/sdk.md, "Audio and video processors").
 * Applying one builds a child Stream whose processed track replaces the original of that kind,
 * the other kind being a clone of the parent's track. Parent and child stay linked: enabling or
 * disabling either applies to both, releasing the parent releases the child, and releasing the
 * child (or applying 'none') stops the pipeline. All of it lives in the lazily loaded processors
 * module, so an app that never applies one never downloads it; the core's {@link ProcessorHost}
 * provides child streams, errors and events, and the Stream calls the {@link ProcessorHooks}.
 */
export class StreamProcessors implements ProcessorHooks {
  readonly #stream: Stream;
  readonly #host: ProcessorHost;
  #audio: Child | null = null;
  #video: VideoChild | null = null;
  /** Set on a child: the stream it was derived from and the kind processed. */
  #parent: { stream: Stream; kind: Kind } | null = null;
  /** One apply at a time per stream: a second waits for the first to settle. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(stream: Stream, host: ProcessorHost) {
    this.#stream = stream;
    this.#host = host;
    registry.set(stream, this);
    host.link(stream, this);
  }

  /** The processor state of `stream`, created on first use. */
  static of(stream: Stream, host: ProcessorHost): StreamProcessors {
    return registry.get(stream) ?? new StreamProcessors(stream, host);
  }

  /** `applyAudioProcessor` / `startNoiseReduction` / `stopNoiseReduction`; `baseUrl`: this module's folder. */
  applyAudio(type: AudioProcessorType, intensity: NoiseIntensity, baseUrl: string): Promise<Stream> {
    const base = this.#baseFor('audio');
    if (base !== this.#stream) return of(base).applyAudio(type, intensity, baseUrl);
    return this.#serial(() => this.#applyAudio(type, intensity, baseUrl));
  }

  /** `applyVideoProcessor` and the older blur/backgroundImage helpers. */
  applyVideo(type: VideoProcessorType, opts: VideoProcessorOptions | undefined, baseUrl: string): Promise<Stream> {
    const base = this.#baseFor('video');
    if (base !== this.#stream) return of(base).applyVideo(type, opts, baseUrl);
    return this.#serial(() => this.#applyVideo(type, opts, baseUrl));
  }

  /** The stream's tracks of `kind` were enabled or disabled: the linked streams follow. */
  mirrorEnabled(kind: Kind, enabled: boolean): void {
    const linked = [this.#audio?.stream, this.#video?.stream, this.#parent?.stream];
    for (const s of linked) {
      if (!s) continue;
      // Resolves at once when already in that state, which is what ends the mutual recursion.
      const change = kind === 'audio' ? (enabled ? s.enableAudio() : s.disableAudio()) : enabled ? s.enableVideo() : s.disableVideo();
      change.catch((e: unknown) => this.#host.warn('processed stream enable state not mirrored', e));
    }
  }

  /** The stream was released: its children go too, and a child stops its pipeline. */
  released(): void {
    this.#audio?.stream.release();
    this.#video?.stream.release();
    const parent = this.#parent;
    if (!parent) return;
    this.#parent = null;
    const p = of(parent.stream);
    const own = parent.kind === 'audio' ? p.#audio : p.#video;
    if (own?.stream !== this.#stream) return;
    own.close();
    if (parent.kind === 'audio') {
      p.#audio = null;
      parent.stream.audioAppliedFilter = 'none';
    } else {
      p.#video = null;
      parent.stream.videoAppliedFilter = 'none';
    }
  }

  /** The stream holding the pipeline of `kind` for this one: its nearest ancestor processed for `kind`. */
  #baseFor(kind: Kind): Stream {
    let s: Stream = this.#stream;
    for (let p = of(s).#parent; p; p = of(s).#parent) {
      if (p.kind === kind) return p.stream;
      s = p.stream;
    }
    return this.#stream;
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #applyAudio(type: AudioProcessorType, intensity: NoiseIntensity, baseUrl: string): Promise<Stream> {
    const base = this.#stream;
    const current = (): Stream => this.#audio?.stream ?? base;
    const fail = (message: string): Error => this.#host.audioError(`applyAudioProcessor() - ${message}`, base.audioAppliedFilter, current());
    if (type !== 'none' && type !== 'noiseReduction') throw fail(`invalid audioProcessorType: ${String(type)}`);
    if (type === base.audioAppliedFilter) return current();
    if (type === 'none') {
      this.#audio?.stream.release();
      return base;
    }
    if (base.isRemote) throw fail('processors apply to local streams only');
    const track = base.data?.getAudioTracks()[0];
    if (!track || track.readyState === 'ended') throw fail('the stream has no live audio track');
    let filter: NoiseFilter;
    try {
      filter = await NoiseFilter.create(track, baseUrl, intensity);
    } catch (e) {
      this.#host.warn('noise reduction failed to start', e);
      throw fail(`noise reduction failed to start: ${e instanceof Error ? e.message : String(e)}`);
    }
    filter.output.enabled = track.enabled;
    const others = base.data?.getVideoTracks().map((t) => t.clone()) ?? [];
    const child = this.#adopt('audio', new MediaStream([filter.output, ...others]));
    this.#audio = { stream: child, close: () => filter.close() };
    base.audioAppliedFilter = child.audioAppliedFilter = 'noiseReduction';
    return child;
  }

  async #applyVideo(type: VideoProcessorType, opts: VideoProcessorOptions | undefined, baseUrl: string): Promise<Stream> {
    const base = this.#stream;
    const current = (): Stream => this.#video?.stream ?? base;
    const fail = (message: string): Error => this.#host.videoError(`applyVideoProcessor() - ${message}`, base.videoAppliedFilter, current());
    if (type !== 'none' && type !== 'blur' && type !== 'backgroundImage') throw fail(`invalid videoProcessorType: ${String(type)}`);
    const imageUrl = type === 'backgroundImage' ? opts?.backgroundImageUrl : undefined;
    if (type === 'backgroundImage' && (typeof imageUrl !== 'string' || imageUrl === '')) throw fail('backgroundImageUrl is required for backgroundImage');
    if (type === base.videoAppliedFilter && imageUrl === this.#video?.imageUrl) return current();
    if (type === 'none') {
      this.#video?.stream.release();
      return base;
    }
    if (base.isRemote) throw fail('processors apply to local streams only');
    const track = base.data?.getVideoTracks()[0];
    if (!track || track.readyState === 'ended') throw fail('the stream has no live video track');
    let background;
    try {
      background = imageUrl === undefined ? ({ kind: 'blur' } as const) : ({ kind: 'image', image: await loadBackgroundImage(imageUrl) } as const);
    } catch (e) {
      throw fail(`cannot load background image ${String(imageUrl)}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (this.#video) {
      // Blur ↔ image on the same child: the published stream keeps its track.
      this.#video.processor.setBackground(background);
      this.#video.imageUrl = imageUrl;
      base.videoAppliedFilter = this.#video.stream.videoAppliedFilter = type;
      return this.#video.stream;
    }
    let processor: BackgroundProcessor;
    // The child exists only once the processor runs: its events go to whatever stream is set here.
    const target: { stream?: Stream } = {};
    try {
      processor = await BackgroundProcessor.create(
        track,
        baseUrl,
        background,
        (name, payload) => {
          const event: keyof BackgroundProcessorEvents = name;
          if (target.stream) this.#host.emit(target.stream, event, payload);
        },
        this.#host.warn,
      );
    } catch (e) {
      this.#host.warn('background processor failed to start', e);
      throw fail(`background segmentation failed to start: ${e instanceof Error ? e.message : String(e)}`);
    }
    processor.output.enabled = track.enabled;
    const others = base.data?.getAudioTracks().map((t) => t.clone()) ?? [];
    const child = this.#adopt('video', new MediaStream([...others, processor.output]));
    target.stream = child;
    this.#video = { stream: child, processor, imageUrl, close: () => processor.close() };
    base.videoAppliedFilter = child.videoAppliedFilter = type;
    return child;
  }

  /** Wraps the processed media as a linked child that inherits the other kind's applied filter. */
  #adopt(kind: Kind, media: MediaStream): Stream {
    const child = this.#host.createChild(this.#stream, media);
    StreamProcessors.of(child, this.#host).#parent = { stream: this.#stream, kind };
    child.audioAppliedFilter = this.#stream.audioAppliedFilter;
    child.videoAppliedFilter = this.#stream.videoAppliedFilter;
    return child;
  }
}

function of(stream: Stream): StreamProcessors {
  const p = registry.get(stream);
  if (!p) throw new Error('stream without processor state');
  return p;
}
