import { loadProcessors, processorsBaseUrl } from '../../processors/loadProcessors.js';
import type { BackgroundProcessor, BackgroundProcessorEvents, NoiseFilter, NoiseIntensity } from '../../processors/lazy/entry.js';
import { log } from '../../util/Logger.js';
import { ApplyAudioProcessorError } from '../ApplyAudioProcessorError.js';
import { ApplyVideoProcessorError } from '../ApplyVideoProcessorError.js';
import { EMIT } from '../internal.js';
import type { Stream } from '../Stream.js';

export type AudioProcessorType = 'none' | 'noiseReduction';
export type VideoProcessorType = 'none' | 'blur' | 'backgroundImage';
export interface VideoProcessorOptions {
  backgroundImageUrl?: string;
}

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

/** Builds a local Stream around a MediaStream (given by Stream.ts, which this module cannot import). */
export type ChildFactory = (media: MediaStream) => Stream;

/**
 * Audio and video processors of one local Stream (docs/sdk.md, "Audio and video processors").
 * Applying one builds a child Stream whose processed track replaces the original of that kind,
 * the other kind being a clone of the parent's track. Parent and child stay linked: enabling or
 * disabling either applies to both, releasing the parent releases the child, and releasing the
 * child (or applying 'none') stops the pipeline. The pipelines come from the lazily loaded
 * processors module, so an app that never applies one never downloads it.
 */
export class StreamProcessors {
  readonly #stream: Stream;
  readonly #createChild: ChildFactory;
  #audio: Child | null = null;
  #video: VideoChild | null = null;
  /** Set on a child: the stream it was derived from and the kind processed. */
  #parent: { stream: Stream; kind: Kind } | null = null;
  /** One apply at a time per stream: a second waits for the first to settle. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(stream: Stream, createChild: ChildFactory) {
    this.#stream = stream;
    this.#createChild = createChild;
    registry.set(stream, this);
  }

  /** `applyAudioProcessor` / `startNoiseReduction` / `stopNoiseReduction`. */
  applyAudio(type: AudioProcessorType, intensity: NoiseIntensity = 'hard'): Promise<Stream> {
    const base = this.#baseFor('audio');
    if (base !== this.#stream) return of(base).applyAudio(type, intensity);
    return this.#serial(() => this.#applyAudio(type, intensity));
  }

  /** `applyVideoProcessor` and the older blur/backgroundImage helpers. */
  applyVideo(type: VideoProcessorType, opts?: VideoProcessorOptions): Promise<Stream> {
    const base = this.#baseFor('video');
    if (base !== this.#stream) return of(base).applyVideo(type, opts);
    return this.#serial(() => this.#applyVideo(type, opts));
  }

  /** The stream's tracks of `kind` were enabled or disabled: the linked streams follow. */
  mirrorEnabled(kind: Kind, enabled: boolean): void {
    const linked = [this.#audio?.stream, this.#video?.stream, this.#parent?.stream];
    for (const s of linked) {
      if (!s) continue;
      // Resolves at once when already in that state, which is what ends the mutual recursion.
      const change = kind === 'audio' ? (enabled ? s.enableAudio() : s.disableAudio()) : enabled ? s.enableVideo() : s.disableVideo();
      change.catch((e: unknown) => log.warn('processed stream enable state not mirrored', e));
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

  async #applyAudio(type: AudioProcessorType, intensity: NoiseIntensity): Promise<Stream> {
    const base = this.#stream;
    const current = (): Stream => this.#audio?.stream ?? base;
    const fail = (message: string): ApplyAudioProcessorError =>
      new ApplyAudioProcessorError(`applyAudioProcessor() - ${message}`, base.audioAppliedFilter, current());
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
      const mod = await loadProcessors();
      filter = await mod.NoiseFilter.create(track, processorsBaseUrl(), intensity);
    } catch (e) {
      log.warn('noise reduction failed to start', e);
      throw fail(`noise reduction failed to start: ${e instanceof Error ? e.message : String(e)}`);
    }
    filter.output.enabled = track.enabled;
    const others = base.data?.getVideoTracks().map((t) => t.clone()) ?? [];
    const child = this.#adopt('audio', new MediaStream([filter.output, ...others]));
    this.#audio = { stream: child, close: () => filter.close() };
    base.audioAppliedFilter = child.audioAppliedFilter = 'noiseReduction';
    return child;
  }

  async #applyVideo(type: VideoProcessorType, opts: VideoProcessorOptions | undefined): Promise<Stream> {
    const base = this.#stream;
    const current = (): Stream => this.#video?.stream ?? base;
    const fail = (message: string): ApplyVideoProcessorError =>
      new ApplyVideoProcessorError(`applyVideoProcessor() - ${message}`, base.videoAppliedFilter, current());
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
    let mod;
    let background;
    try {
      mod = await loadProcessors();
      background = imageUrl === undefined ? ({ kind: 'blur' } as const) : ({ kind: 'image', image: await mod.loadBackgroundImage(imageUrl) } as const);
    } catch (e) {
      throw fail(
        `${imageUrl === undefined ? 'the processors module failed to load' : `cannot load background image ${imageUrl}`}: ${e instanceof Error ? e.message : String(e)}`,
      );
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
      processor = await mod.BackgroundProcessor.create(track, processorsBaseUrl(), background, (name, payload) => {
        // Both events are typed `object` on the Stream; the processor's payloads are objects.
        const event: keyof BackgroundProcessorEvents = name;
        const data: object = payload;
        target.stream?.[EMIT](event, data);
      });
    } catch (e) {
      log.warn('background processor failed to start', e);
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
    const child = this.#createChild(media);
    of(child).#parent = { stream: this.#stream, kind };
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
