import type { CreateStreamOptions } from '../media/constraints.js';
import { TrackSet, type TrackKind, type TrackParts } from '../media/TrackSet.js';
import { getDisplayMediaStream } from '../media/userMedia.js';
import { runtime } from '../runtime.js';
import { randomSafeInteger } from '../util/ids.js';
import type { Contact } from './Contact.js';
import type { Conversation } from './Conversation.js';
import { publicationRegistry } from './conversation/PublicationRegistry.js';
import { MEDIA_REPORTER } from './internal.js';
import type { MediaDevice } from '../media/MediaDevice.js';
import { RemoteControl } from './stream/RemoteControl.js';
import { localStreams } from './stream/localStreams.js';
import { userMediaFromDevices } from './stream/userMediaFromDevices.js';
import { ProcessedStream } from './stream/ProcessedStream.js';
import { CREATE_CHILD, PROCESSORS } from './stream/ProcessorHost.js';
import { REMOTE_STATE, STREAM_EVENTS, type MediaStreamTrackFlowStatus, type RelayAction, type RemoteStreamInit } from './stream/types.js';
import type { UserAgent } from './UserAgent.js';

export { REMOTE_STATE } from './stream/types.js';
export type { MediaStreamTrackFlowStatus, RelayAction, RemoteLink, RemoteStreamInit, StreamEvents } from './stream/types.js';

/** Only SDK code holds this key, which is why `new apiRTC.Stream()` throws for apps. */
const INTERNAL = Symbol('parley.stream');

/** Construction data of a Stream (internal). */
interface StreamInit {
  [INTERNAL]: true;
  owner: UserAgent | Contact | undefined;
  screensharing?: boolean;
  remote?: RemoteStreamInit;
}

/** A remote Stream received in a conversation, published by `contact`. */
export function createRemoteStream(data: MediaStream | null, contact: Contact, remote: RemoteStreamInit): Stream {
  const init: StreamInit = { [INTERNAL]: true, owner: contact, screensharing: remote.screensharing, remote };
  return new Stream(data, init);
}

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
 * factories; remote ones from Conversation `streamAdded`. Data queries, element attach, snapshot and
 * recording come from {@link StreamData}, the processor members from {@link ProcessedStream}; a
 * remote stream's relay to its publisher is a {@link RemoteControl}.
 */
export class Stream extends ProcessedStream {
  /** Stream id (safe integer); `getId()` gives it as a string. */
  readonly streamId: number;
  /** False for local streams. */
  readonly isRemote: boolean;
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
  /** Remote streams: the publisher's state and the relay to it. */
  readonly #remote: RemoteControl | undefined;

  /** Internal: apps get Streams from the SDK factories; a direct call throws. */
  constructor(data: MediaStream | null, init: object) {
    super();
    const opts = init as Partial<StreamInit> | undefined;
    if (!opts || opts[INTERNAL] !== true) {
      throw new Error('Stream cannot be constructed directly: use userAgent.createStream()');
    }
    this.streamId = opts.remote?.streamId ?? randomSafeInteger();
    this.isRemote = opts.remote !== undefined;
    this.#remote = opts.remote ? new RemoteControl(opts.remote) : undefined;
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
    return [...STREAM_EVENTS];
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
    return createLocalStream(await userMediaFromDevices(audioInput, videoinput, constraints, options));
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
    if (this.isRemote) return this.#remote?.callId ?? null;
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
    if (this.#remote) return this.#remote.isEnabled('audio') && this.hasAudio();
    return this.#flow('audio').enabled;
  }

  /** First video track enabled (false without video). */
  isVideoEnabled(): boolean {
    if (this.#remote) return this.#remote.isEnabled('video') && this.hasVideo();
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

  /** Internal: a processed child stream (processors module), owned as this one is. */
  [CREATE_CHILD](media: MediaStream): Stream {
    return createLocalStream(media, { owner: this.#owner as UserAgent | undefined });
  }

  /** Stops every track (`trackStopped` each), then emits `release`. Does not unpublish. */
  release(): void {
    if (!this.#media) return;
    this.#media.stop('released');
    this.#media = null;
    this.data = null;
    localStreams.delete(this.streamId);
    this[PROCESSORS]?.released();
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
  async applyConstraints(constraints?: TrackParts<MediaTrackConstraints>): Promise<void> {
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
  getConstraints(): Promise<TrackParts<MediaTrackConstraints>> {
    if (this.isRemote) return this.#relay('getConstraints') as Promise<TrackParts<MediaTrackConstraints>>;
    return Promise.resolve(this.#media?.perKind((t) => t.getConstraints()) ?? {});
  }

  /** Current track settings `{audio, video}`. */
  getSettings(): Promise<TrackParts<MediaTrackSettings>> {
    if (this.isRemote) return this.#relay('getSettings') as Promise<TrackParts<MediaTrackSettings>>;
    return Promise.resolve(this.#media?.perKind((t) => t.getSettings()) ?? {});
  }

  /** Supported ranges `{audio, video}`; `false` for a kind without track. */
  getCapabilities(): Promise<{ audio: MediaTrackCapabilities | boolean; video: MediaTrackCapabilities | boolean }> {
    if (this.isRemote) return this.#relay('getCapabilities') as Promise<{ audio: MediaTrackCapabilities | boolean; video: MediaTrackCapabilities | boolean }>;
    const caps = (kind: TrackKind): MediaTrackCapabilities | boolean => {
      const t = this.#media?.tracks(kind)[0];
      return t ? (t.getCapabilities?.() ?? {}) : false;
    };
    return Promise.resolve({ audio: caps('audio'), video: caps('video') });
  }

  /** SDK-internal: the publisher changed its enabled state; emits the remote flow events that changed. */
  [REMOTE_STATE](audioEnabled: boolean, videoEnabled: boolean): void {
    const remote = this.#remote;
    if (!remote) return;
    for (const kind of remote.update(audioEnabled, videoEnabled)) {
      const status = { enabled: remote.isEnabled(kind), muted: this.#flow(kind).muted };
      this.emit(kind === 'audio' ? 'remoteAudioFlowStatusChanged' : 'remoteVideoFlowStatusChanged', status);
    }
  }

  /** Remote streams: runs `action` on the publisher's stream; rejects an Error on failure or timeout. */
  #relay(action: RelayAction, args?: unknown): Promise<unknown> {
    if (!this.#remote) return Promise.reject(new Error(`${action}() - stream is not subscribed`));
    return this.#remote.relay(action, args);
  }

  #flow(kind: TrackKind): MediaStreamTrackFlowStatus {
    return this.#media?.flow(kind) ?? { enabled: false, muted: true };
  }

  #setEnabled(kind: TrackKind, enabled: boolean, applyRemotely?: boolean): Promise<void> {
    if (this.#remote && applyRemotely) return this.#remote.setEnabled(kind, enabled);
    // Remote without applyRemotely: local playback only. Local: the conversations where the stream
    // is published hear the flow events below and announce the change (conv.updateStream).
    if (!this.#media?.setEnabled(kind, enabled)) return Promise.resolve();
    this[PROCESSORS]?.mirrorEnabled(kind, enabled);
    const status = this.#flow(kind);
    this.emit(kind === 'audio' ? 'audioFlowStatusChanged' : 'videoFlowStatusChanged', status);
    this.emit('flowStatusChanged', { type: kind, ...status });
    return Promise.resolve();
  }
}
