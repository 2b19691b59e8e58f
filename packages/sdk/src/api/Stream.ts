import { STREAM_TYPE_AUDIO, STREAM_TYPE_NO_INPUT, STREAM_TYPE_VIDEO } from '../constants.js';
import { buildUserMediaConstraints, type CreateStreamOptions } from '../media/constraints.js';
import { addMediaElement, attachMediaStream, removeMediaElement, type MediaElementStyle } from '../media/mediaElement.js';
import { captureFrame, type SnapshotOptions } from '../media/snapshot.js';
import { StreamRecorder } from '../media/StreamRecorder.js';
import { TrackSet, type FlowStatus, type TrackKind, type TrackParts } from '../media/TrackSet.js';
import { getDisplayMediaStream, getUserMediaStream } from '../media/userMedia.js';
import { runtime } from '../runtime.js';
import { randomSafeInteger } from '../util/ids.js';
import { log } from '../util/Logger.js';
import { ApplyAudioProcessorError } from './ApplyAudioProcessorError.js';
import { ApplyVideoProcessorError } from './ApplyVideoProcessorError.js';
import type { Contact } from './Contact.js';
import type { Conversation } from './Conversation.js';
import { publicationRegistry } from './conversation/PublicationRegistry.js';
import { MEDIA_REPORTER } from './internal.js';
import type { MediaDevice } from '../media/MediaDevice.js';
import { Observable } from './Observable.js';
import type { UserAgent } from './UserAgent.js';
import { notSupportedError, rejectNotSupported, throwNotSupported } from '../util/unsupported.js';

/** `{enabled, muted}` of a track kind. */
export type MediaStreamTrackFlowStatus = FlowStatus;
type Kind = TrackKind;
type Parts<T> = TrackParts<T>;

/** Stream events and payloads (docs/sdk-reference.md#stream). */
export interface StreamEvents {
  stopped: { streamId: number; userMediaStreamId?: number; callId?: string };
  trackStopped: { type: Kind; id: string; reason: string };
  audioAmplitude: number;
  audioAmplitudeInfo: { amplitude: number; isSpeaking: boolean };
  muteStateChange: object;
  activeStateChange: object;
  backgroundSubstractionStopVisibilityChange: object;
  backgroundSubstractionStopComputeTime: object;
  AIESnapshot: object;
  AIELog: object;
  flowStatusChanged: MediaStreamTrackFlowStatus & { type: Kind };
  audioFlowStatusChanged: MediaStreamTrackFlowStatus;
  videoFlowStatusChanged: MediaStreamTrackFlowStatus;
  remoteAudioFlowStatusChanged: MediaStreamTrackFlowStatus;
  remoteVideoFlowStatusChanged: MediaStreamTrackFlowStatus;
  release: { streamId: number; userMediaStreamId: number };
  constraintsChanged: Parts<MediaTrackConstraints>;
}

const EVENTS = [
  'stopped',
  'trackStopped',
  'audioAmplitude',
  'audioAmplitudeInfo',
  'muteStateChange',
  'activeStateChange',
  'backgroundSubstractionStopVisibilityChange',
  'backgroundSubstractionStopComputeTime',
  'AIESnapshot',
  'AIELog',
  'flowStatusChanged',
  'audioFlowStatusChanged',
  'videoFlowStatusChanged',
  'remoteAudioFlowStatusChanged',
  'remoteVideoFlowStatusChanged',
  'release',
  'constraintsChanged',
];

/** Only SDK code holds this key, which is why `new apiRTC.Stream()` throws for apps. */
const INTERNAL = Symbol('parley.stream');

/** Construction data of a Stream (internal). */
interface StreamInit {
  [INTERNAL]: true;
  owner: UserAgent | Contact | undefined;
  screensharing?: boolean;
  remote?: RemoteStreamInit;
}

/** How a remote Stream reaches its publisher (provided by the Conversation that subscribed). */
export interface RemoteLink {
  /** Runs `action` on the published stream through the publisher's SDK (`conv.relay`); resolves its result. */
  relay(action: RelayAction, args?: unknown): Promise<unknown>;
}

/** Construction data of a remote (subscribed) Stream. */
export interface RemoteStreamInit {
  streamId: number;
  callId: string;
  link: RemoteLink;
  /** The publisher's choice (StreamInfo `isAudioMuted` / `isVideoMuted` negated). */
  audioEnabled: boolean;
  videoEnabled: boolean;
  screensharing: boolean;
}

/** Operations relayed to a publisher (protocol `RelayAction`). */
export type RelayAction =
  | 'applyConstraints'
  | 'getConstraints'
  | 'getSettings'
  | 'getCapabilities'
  | 'enableAudio'
  | 'disableAudio'
  | 'enableVideo'
  | 'disableVideo'
  | 'getAudioFlowStatus'
  | 'getVideoFlowStatus';

/** SDK-internal: `stream[REMOTE_STATE](audioEnabled, videoEnabled)` records the publisher's new choice. */
export const REMOTE_STATE: unique symbol = Symbol('parley.remoteState');

/** A remote Stream received in a conversation, published by `contact`. */
export function createRemoteStream(data: MediaStream | null, contact: Contact, remote: RemoteStreamInit): Stream {
  const init: StreamInit = { [INTERNAL]: true, owner: contact, screensharing: remote.screensharing, remote };
  return new Stream(data, init);
}

/** Live local streams by id (`Stream.getStream`, `getLocalStreams`). */
const localStreams = new Map<number, Stream>();

/**
 * Wraps a MediaStream the SDK acquired (or the app handed over) as a local Stream owned by
 * `owner` (default: `apiRTC.userAgentInstance`).
 */
export function createLocalStream(data: MediaStream, opts: { owner?: UserAgent; screensharing?: boolean } = {}): Stream {
  const init: StreamInit = { [INTERNAL]: true, owner: opts.owner ?? runtime.userAgentInstance, screensharing: opts.screensharing ?? false };
  return new Stream(data, init);
}

/**
 * A local (camera, microphone, screen, wrapped MediaStream) or remote media stream (docs/sdk-reference.md#stream).
 * Local streams come from `userAgent.createStream`, `createStreamFromMediaStream` and the static
 * factories; remote ones from Conversation `streamAdded`.
 */
export class Stream extends Observable<StreamEvents> {
  /** Stream id (safe integer); `getId()` gives it as a string. */
  readonly streamId: number;
  /** False for local streams. */
  readonly isRemote: boolean;
  /** Underlying MediaStream; null after release. */
  data: MediaStream | null;
  callAudioActive = false;
  callAudioAvailable = false;
  callAudioMuted = false;
  callVideoActive = false;
  callVideoAvailable = false;
  callVideoMuted = false;
  /** Device id used for audio / video (local). */
  audioInput: string | number | undefined;
  videoInput: string | number | undefined;
  /** Processor currently applied. */
  audioAppliedFilter: 'none' | 'noiseReduction' = 'none';
  videoAppliedFilter: 'none' | 'blur' | 'backgroundImage' = 'none';

  readonly #owner: UserAgent | Contact | undefined;
  readonly #screensharing: boolean;
  #media: TrackSet | null;
  readonly #remote: RemoteLink | undefined;
  /** Remote streams: the publisher's enabled state per kind. */
  readonly #remoteEnabled = { audio: true, video: true };
  /** Remote streams: the media leg id announced by the publisher. */
  readonly #remoteCallId: string | null = null;

  /** Internal: apps get Streams from the SDK factories; a direct call throws. */
  constructor(data: MediaStream | null, init: object) {
    super();
    const opts = init as Partial<StreamInit> | undefined;
    if (!opts || opts[INTERNAL] !== true) {
      throw new Error('Stream cannot be constructed directly: use userAgent.createStream()');
    }
    this.streamId = opts.remote?.streamId ?? randomSafeInteger();
    this.isRemote = opts.remote !== undefined;
    this.#remote = opts.remote?.link;
    if (opts.remote) {
      this.#remoteCallId = opts.remote.callId;
      this.#remoteEnabled.audio = opts.remote.audioEnabled;
      this.#remoteEnabled.video = opts.remote.videoEnabled;
    }
    this.data = data;
    this.#owner = opts.owner;
    this.#screensharing = opts.screensharing ?? false;
    this.#media = data ? new TrackSet(data) : null;
    this.#media?.on('trackStopped', (info) => this.emit('trackStopped', info));
    this.#media?.on('ended', () => this.emit('stopped', { streamId: this.streamId, userMediaStreamId: this.streamId }));
    this.audioInput = data?.getAudioTracks()[0]?.getSettings?.().deviceId;
    this.videoInput = data?.getVideoTracks()[0]?.getSettings?.().deviceId;
    if (!this.isRemote) localStreams.set(this.streamId, this);
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return [...EVENTS];
  }

  /** Screen/window/tab capture; resolves a local Stream with `isScreensharing() === true`. */
  static createScreensharingStream(): Promise<Stream> {
    return Stream.createDisplayMediaStream({ video: true, audio: false }, false);
  }

  /**
   * getDisplayMedia with explicit constraints. The Stream emits `stopped` when the user stops
   * sharing from the browser UI. Rejects with the browser's error.
   */
  static async createDisplayMediaStream(displayMediaStreamConstraints: DisplayMediaStreamOptions, _forceExtensionOnChrome?: boolean): Promise<Stream> {
    const ms = await getDisplayMediaStream(displayMediaStreamConstraints ?? { video: true }, runtime.userAgentInstance?.[MEDIA_REPORTER]);
    return createLocalStream(ms, { screensharing: true });
  }

  /** Static form of `userAgent.createStream` with MediaDevice objects. */
  static async createStreamFromUserMedia(
    audioInput: MediaDevice | null,
    videoinput: MediaDevice | null,
    constraints?: MediaStreamConstraints | null,
    options?: CreateStreamOptions,
  ): Promise<Stream> {
    const built = buildUserMediaConstraints({
      ...options,
      constraints: constraints ?? { audio: true, video: true },
      audioInputId: audioInput ? audioInput.getId() : null,
      videoInputId: videoinput ? videoinput.getId() : null,
    });
    const ms = await getUserMediaStream(built, runtime.userAgentInstance?.[MEDIA_REPORTER]);
    return createLocalStream(ms);
  }

  /** Wraps an existing MediaStream (canvas, element capture, …) as a local Stream. */
  static createStreamFromMediaStream(mediaStream: MediaStream): Promise<Stream> {
    if (typeof MediaStream === 'undefined' || !(mediaStream instanceof MediaStream)) {
      return Promise.reject(new TypeError('createStreamFromMediaStream() - argument is not a MediaStream'));
    }
    return Promise.resolve(createLocalStream(mediaStream));
  }

  /** Local Stream by id (number or numeric string), null if unknown. */
  static getStream(id: number | string): Stream | null {
    return localStreams.get(Number(id)) ?? null;
  }

  /** Live local streams. */
  static getLocalStreams(): IterableIterator<Stream> {
    return localStreams.values();
  }

  /** Same as the static {@link Stream.getStream}. */
  getStream(id: number | string): Stream | null {
    return Stream.getStream(id);
  }

  /** Same as the static {@link Stream.getLocalStreams}. */
  getLocalStreams(): IterableIterator<Stream> {
    return Stream.getLocalStreams();
  }

  /** `String(streamId)`. */
  getId(): string {
    return String(this.streamId);
  }

  /** Publisher of a remote stream; null for local streams. */
  getContact(): Contact | null {
    return this.isRemote ? ((this.#owner as Contact | undefined) ?? null) : null;
  }

  /** Contact for remote streams, the local UserAgent otherwise. */
  getOwner(): UserAgent | Contact | undefined {
    return this.#owner;
  }

  /** Underlying MediaStream (null after release). */
  getData(): MediaStream | null {
    return this.data;
  }

  /** `'video'` with video, else `'audio'` with audio, else `'no_input'`. */
  getType(): string {
    if (this.hasVideo()) return STREAM_TYPE_VIDEO;
    return this.hasAudio() ? STREAM_TYPE_AUDIO : STREAM_TYPE_NO_INPUT;
  }

  /** A MediaStream is attached (false after release). */
  hasData(): boolean {
    return this.data !== null;
  }

  /** Has an audio track. */
  hasAudio(): boolean {
    return (this.data?.getAudioTracks().length ?? 0) > 0;
  }

  /** Has a video track. */
  hasVideo(): boolean {
    return (this.data?.getVideoTracks().length ?? 0) > 0;
  }

  /** Screen capture stream. */
  isScreensharing(): boolean {
    return this.#screensharing;
  }

  /** Screen share used for remote access (P2; always false). */
  isScreensharingRemoteAccess(): boolean {
    return false;
  }

  /**
   * Media leg id: the publisher's for a remote stream; for a local one, that of its latest
   * publication still in place (null when not published).
   */
  get callId(): string | null {
    if (this.isRemote) return this.#remoteCallId;
    return publicationRegistry.of(this).at(-1)?.callId ?? null;
  }

  /** Conversation name → callId where this local stream is published (a fresh copy on each read). */
  get publishedInConversations(): Map<string, string> {
    return new Map(publicationRegistry.of(this).map((p) => [p.name, p.callId]));
  }

  /** Conversations where this local stream is published. */
  getConversations(): Conversation[] {
    return publicationRegistry.of(this).map((p) => p.conversation);
  }

  /** Track labels `{audioSourceLabel?, videoSourceLabel?}`. */
  getLabels(): { audioSourceLabel?: string; videoSourceLabel?: string } {
    const labels: { audioSourceLabel?: string; videoSourceLabel?: string } = {};
    const a = this.data?.getAudioTracks()[0];
    const v = this.data?.getVideoTracks()[0];
    if (a) labels.audioSourceLabel = a.label;
    if (v) labels.videoSourceLabel = v.label;
    return labels;
  }

  /**
   * Creates an `<audio>` (audio-only stream) or `<video>` element with id `mediaEltId`, appends it
   * to the element `divId` and starts playback (docs/sdk-reference.md#stream).
   */
  addInDiv(divId: string, mediaEltId: string, style?: MediaElementStyle | null, muted?: boolean): void {
    if (!this.data) {
      log.error('addInDiv() - stream has no data');
      return;
    }
    addMediaElement(this.data, divId, mediaEltId, style, Boolean(muted));
  }

  /** Removes the element `mediaEltId` from `divId`; silent when absent. */
  removeFromDiv(divId: string, mediaEltId: string): void {
    removeMediaElement(divId, mediaEltId);
  }

  /** Plays the stream in an existing media element. */
  attachToElement(element: HTMLMediaElement): void {
    attachMediaStream(element, this.data);
  }

  /** Enables audio tracks; resolves at once when already enabled (docs/sdk-reference.md#mute-and-enable). */
  enableAudio(applyRemotely?: boolean): Promise<void> {
    return this.#setEnabled('audio', true, applyRemotely);
  }

  /** Disables audio tracks (`enabled = false`). */
  disableAudio(applyRemotely?: boolean): Promise<void> {
    return this.#setEnabled('audio', false, applyRemotely);
  }

  /** Enables video tracks. */
  enableVideo(applyRemotely?: boolean): Promise<void> {
    return this.#setEnabled('video', true, applyRemotely);
  }

  /** Disables video tracks. */
  disableVideo(applyRemotely?: boolean): Promise<void> {
    return this.#setEnabled('video', false, applyRemotely);
  }

  /** First audio track enabled (false without audio). */
  isAudioEnabled(): boolean {
    if (this.isRemote) return this.#remoteEnabled.audio && this.hasAudio();
    return this.#flow('audio').enabled;
  }

  /** First video track enabled (false without video). */
  isVideoEnabled(): boolean {
    if (this.isRemote) return this.#remoteEnabled.video && this.hasVideo();
    return this.#flow('video').enabled;
  }

  /** First audio track's `muted` (no media flowing); true without audio. */
  isAudioMuted(): boolean {
    return this.#flow('audio').muted;
  }

  /** First video track's `muted`; true without video. */
  isVideoMuted(): boolean {
    return this.#flow('video').muted;
  }

  /** Deprecated alias of disableAudio(). */
  muteAudio(): void {
    log.warn('muteAudio() is deprecated, use disableAudio()');
    void this.disableAudio();
  }

  /** Deprecated alias of enableAudio(). */
  unmuteAudio(): void {
    log.warn('unmuteAudio() is deprecated, use enableAudio()');
    void this.enableAudio();
  }

  /** Deprecated alias of disableVideo(). */
  muteVideo(): void {
    log.warn('muteVideo() is deprecated, use disableVideo()');
    void this.disableVideo();
  }

  /** Deprecated alias of enableVideo(). */
  unmuteVideo(): void {
    log.warn('unmuteVideo() is deprecated, use enableVideo()');
    void this.enableVideo();
  }

  /** `{enabled, muted}` of the audio track. */
  getAudioFlowStatus(): MediaStreamTrackFlowStatus {
    return this.#flow('audio');
  }

  /** `{enabled, muted}` of the video track. */
  getVideoFlowStatus(): MediaStreamTrackFlowStatus {
    return this.#flow('video');
  }

  /** Remote: the publisher's audio status. Local streams answer with their own status. */
  getRemoteAudioFlowStatus(): Promise<MediaStreamTrackFlowStatus> {
    if (this.isRemote) return this.#relay('getAudioFlowStatus') as Promise<MediaStreamTrackFlowStatus>;
    return Promise.resolve(this.#flow('audio'));
  }

  /** Remote: the publisher's video status. Local streams answer with their own status. */
  getRemoteVideoFlowStatus(): Promise<MediaStreamTrackFlowStatus> {
    if (this.isRemote) return this.#relay('getVideoFlowStatus') as Promise<MediaStreamTrackFlowStatus>;
    return Promise.resolve(this.#flow('video'));
  }

  /** Stops every track (`trackStopped` each), then emits `release`. Does not unpublish. */
  release(): void {
    if (!this.#media) return;
    this.#media.stop('released');
    this.#media = null;
    this.data = null;
    localStreams.delete(this.streamId);
    this.emit('release', { streamId: this.streamId, userMediaStreamId: this.streamId });
  }

  /** Stops the audio tracks only. */
  releaseAudio(): void {
    this.#media?.stop('released', 'audio');
  }

  /** Stops the video tracks only. */
  releaseVideo(): void {
    this.#media?.stop('released', 'video');
  }

  /**
   * Applies `constraints.audio` / `constraints.video` to the matching track and emits
   * `constraintsChanged`. Rejects the string "Missing argument" without constraints, or the track's error.
   */
  async applyConstraints(constraints?: Parts<MediaTrackConstraints>): Promise<void> {
    if (!constraints || typeof constraints !== 'object' || (constraints.audio === undefined && constraints.video === undefined)) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- apiRTC rejects a string here
      throw 'Missing argument';
    }
    if (this.isRemote) {
      // The publisher applies them; `constraintsChanged` arrives here through the conversation.
      await this.#relay('applyConstraints', constraints);
      return;
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a string, like apiRTC's other constraint errors
    if (!this.#media) throw 'Stream has no data';
    await this.#media.applyConstraints(constraints);
    this.emit('constraintsChanged', constraints);
  }

  /** Constraints in effect per track `{audio, video}` (kinds without a track are absent). */
  getConstraints(): Promise<Parts<MediaTrackConstraints>> {
    if (this.isRemote) return this.#relay('getConstraints') as Promise<Parts<MediaTrackConstraints>>;
    return Promise.resolve(this.#media?.perKind((t) => t.getConstraints()) ?? {});
  }

  /** Current track settings `{audio, video}`. */
  getSettings(): Promise<Parts<MediaTrackSettings>> {
    if (this.isRemote) return this.#relay('getSettings') as Promise<Parts<MediaTrackSettings>>;
    return Promise.resolve(this.#media?.perKind((t) => t.getSettings()) ?? {});
  }

  /** Supported ranges `{audio, video}`; `false` for a kind without track. */
  getCapabilities(): Promise<{ audio: MediaTrackCapabilities | boolean; video: MediaTrackCapabilities | boolean }> {
    if (this.isRemote) return this.#relay('getCapabilities') as Promise<{ audio: MediaTrackCapabilities | boolean; video: MediaTrackCapabilities | boolean }>;
    const caps = (kind: Kind): MediaTrackCapabilities | boolean => {
      const t = this.#media?.tracks(kind)[0];
      return t ? (t.getCapabilities?.() ?? {}) : false;
    };
    return Promise.resolve({ audio: caps('audio'), video: caps('video') });
  }

  /** `'none'` resolves this stream; noise reduction is not supported yet (rejects ApplyAudioProcessorError). */
  applyAudioProcessor(audioProcessorType: 'none' | 'noiseReduction'): Promise<Stream> {
    if (audioProcessorType === this.audioAppliedFilter) return Promise.resolve(this);
    return Promise.reject(new ApplyAudioProcessorError(notSupportedError('applyAudioProcessor').error.message, this.audioAppliedFilter, this));
  }

  /** `'none'` resolves this stream; blur/background are not supported yet (rejects ApplyVideoProcessorError). */
  applyVideoProcessor(videoProcessorType: 'none' | 'blur' | 'backgroundImage', _opts?: { backgroundImageUrl?: string }): Promise<Stream> {
    if (videoProcessorType === this.videoAppliedFilter) return Promise.resolve(this);
    return Promise.reject(new ApplyVideoProcessorError(notSupportedError('applyVideoProcessor').error.message, this.videoAppliedFilter, this));
  }

  /** Lower-level noise filter start (same availability as applyAudioProcessor). */
  startNoiseReduction(_intensity?: 'soft' | 'medium' | 'hard'): Promise<Stream> {
    return this.applyAudioProcessor('noiseReduction');
  }

  /** Stops the noise filter; resolves the base stream. */
  stopNoiseReduction(): Promise<Stream> {
    return this.applyAudioProcessor('none');
  }

  /** Older helper (P2): blurred background. */
  blur(): Promise<Stream> {
    return this.applyVideoProcessor('blur');
  }

  /** Older helper (P2): back to the base stream. */
  unblur(): Promise<Stream> {
    return this.applyVideoProcessor('none');
  }

  /** Older helper (P2): background replacement. */
  backgroundImage(imageUrl: string): Promise<Stream> {
    return this.applyVideoProcessor('backgroundImage', { backgroundImageUrl: imageUrl });
  }

  /** Older helper (P2): remove the background replacement. */
  unBackgroundImage(): Promise<Stream> {
    return this.applyVideoProcessor('none');
  }

  /**
   * Grabs a video frame: a data URL by default, a Blob with `output: 'blob'`. Rejects an Error when
   * the stream has no data or no video.
   */
  async takeSnapshot(opts: SnapshotOptions = {}): Promise<string | Blob> {
    if (!this.data) throw new Error('takeSnapshot() - stream has no data');
    if (this.isRemote && (opts.applyRemotely || opts.fullResolution)) {
      return rejectNotSupported('takeSnapshot');
    }
    return captureFrame(this.data, opts);
  }

  /** Starts a local MediaRecorder recording (one per page). Rejects code 12 on failure. */
  startRecord(): Promise<void> {
    try {
      StreamRecorder.start(this, this.data);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Stops the recording and resolves the recorded Blob. Rejects code 12 when not recording. */
  stopRecord(): Promise<Blob> {
    return StreamRecorder.stop(this);
  }

  /** Per-stream amplitude analysis (P2): not supported. */
  enableAudioAnalysis(_opts?: { threshold?: number }): void {
    throwNotSupported('enableAudioAnalysis');
  }

  /** P2: not supported. */
  disableAudioAnalysis(): void {
    throwNotSupported('disableAudioAnalysis');
  }

  /** SDK-internal: the publisher changed its enabled state; emits the remote flow events that changed. */
  [REMOTE_STATE](audioEnabled: boolean, videoEnabled: boolean): void {
    const changed: Kind[] = [];
    if (this.#remoteEnabled.audio !== audioEnabled) changed.push('audio');
    if (this.#remoteEnabled.video !== videoEnabled) changed.push('video');
    this.#remoteEnabled.audio = audioEnabled;
    this.#remoteEnabled.video = videoEnabled;
    for (const kind of changed) {
      const status = { enabled: this.#remoteEnabled[kind], muted: this.#flow(kind).muted };
      this.emit(kind === 'audio' ? 'remoteAudioFlowStatusChanged' : 'remoteVideoFlowStatusChanged', status);
    }
  }

  /** Remote streams: runs `action` on the publisher's stream; rejects an Error on failure or timeout. */
  #relay(action: RelayAction, args?: unknown): Promise<unknown> {
    if (!this.#remote) return Promise.reject(new Error(`${action}() - stream is not subscribed`));
    return this.#remote.relay(action, args);
  }

  #flow(kind: Kind): MediaStreamTrackFlowStatus {
    return this.#media?.flow(kind) ?? { enabled: false, muted: true };
  }

  #setEnabled(kind: Kind, enabled: boolean, applyRemotely?: boolean): Promise<void> {
    if (this.isRemote && applyRemotely) {
      const action = `${enabled ? 'enable' : 'disable'}${kind === 'audio' ? 'Audio' : 'Video'}` as RelayAction;
      if (this.#remoteEnabled[kind] === enabled) return Promise.resolve();
      return this.#relay(action).then(() => undefined);
    }
    // Remote without applyRemotely: local playback only. Local: the conversations where the stream
    // is published hear the flow events below and announce the change (conv.updateStream).
    if (!this.#media?.setEnabled(kind, enabled)) return Promise.resolve();
    const status = this.#flow(kind);
    this.emit(kind === 'audio' ? 'audioFlowStatusChanged' : 'videoFlowStatusChanged', status);
    this.emit('flowStatusChanged', { type: kind, ...status });
    return Promise.resolve();
  }
}
