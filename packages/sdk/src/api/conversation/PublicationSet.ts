import type { ConversationServerEvent } from '../../engine/Engine.js';
import type { Kinds, PublishedMedia, SimulcastEncoding } from '../../media/MediaPlane.js';
import { ERROR_OTHER } from '../../constants.js';
import { apiError } from '../../util/errors.js';
import { log } from '../../util/Logger.js';
import { ConversationCall } from '../ConversationCall.js';
import { Stream } from '../Stream.js';
import type { ConversationMedia } from './ConversationMedia.js';
import type { ConversationScope } from './context.js';
import { publicationRegistry, type Publication } from './PublicationRegistry.js';
import { errorText, jsonSafe, runRelayAction, withoutDeviceIds } from './relay.js';
/** `conversation.publish()` options (apiRTC `PublishOptions`, plus a Parley extension). */
export interface PublishOptions {
  /** Send only the audio track. */
  audioOnly?: boolean;
  /** Send only the video track. */
  videoOnly?: boolean;
  /** Free object copied into every StreamInfo of this publication. */
  context?: object;
  /**
   * Parley extension, default false: let subscribers re-enable this stream's audio/video that the
   * local user disabled (`enableAudio(true)` / `enableVideo(true)` on their remote Stream). Without
   * it those requests are refused (by this SDK, and by the server). Disabling remotely and the
   * remote constraints/settings calls stay allowed to subscribers, as in apiRTC.
   */
  remoteUnmuteEnabled?: boolean;
  /**
   * SFU: send the video in three qualities so that each subscriber gets what its bandwidth and
   * tile allow. `true` uses apiRTC's defaults (900 / 300 (÷2) / 100 (÷4) kbit/s).
   */
  simulcast?: boolean | SimulcastOptions;
}

/** apiRTC `SimulcastOptions`. */
export interface SimulcastOptions {
  maxBitrate?: number;
  encodings?: Partial<Record<'high' | 'medium' | 'low', { maxBitrate?: number; scaleResolutionDownBy?: number }>>;
}

/** The encodings of apiRTC's simulcast options, highest first; undefined without simulcast. */
export function simulcastEncodings(opts: boolean | SimulcastOptions | undefined): SimulcastEncoding[] | undefined {
  if (!opts) return undefined;
  const o = opts === true ? {} : opts;
  const top = o.maxBitrate ?? 900_000;
  const defaults = { high: [top, 1], medium: [Math.round(top / 3), 2], low: [Math.round(top / 9), 4] } as const;
  return (['high', 'medium', 'low'] as const).map((q) => ({
    maxBitrate: o.encodings?.[q]?.maxBitrate ?? defaults[q][0],
    scaleResolutionDownBy: Math.max(1, o.encodings?.[q]?.scaleResolutionDownBy ?? defaults[q][1]),
  }));
}

/**
 * The local streams published in one conversation (kept in the {@link publicationRegistry}):
 * publish, unpublish and replace, announcements of local changes (`conv.updateStream`,
 * `conv.constraintsChanged`, `localStreamUpdated`) and the publisher side of the relay
 * (`conv.relayRequest`).
 */
export class PublicationSet {
  readonly #h: ConversationScope;
  readonly #media: ConversationMedia;

  constructor(scope: ConversationScope, media: ConversationMedia) {
    this.#h = scope;
    this.#media = media;
  }

  /** The publications of this conversation, ready or not. */
  all(): Publication[] {
    return publicationRegistry.in(this.#h.conversation);
  }

  /** The media of a ready publication, by announced id. */
  readyMedia(streamId: number): PublishedMedia | undefined {
    const pub = publicationRegistry.get(this.#h.conversation, streamId);
    return pub?.ready ? pub.media : undefined;
  }

  /** The publication of a local Stream object. */
  of(stream: unknown): Publication | undefined {
    return publicationRegistry.find(this.#h.conversation, stream);
  }

  /** Forgets a publication and stops watching its Stream (no request). */
  drop(pub: Publication): void {
    publicationRegistry.remove(pub);
    pub.detach();
  }

  /** Announces `stream` (`conv.publish`) and sends it on the media plane. */
  async publish(stream: unknown, opts: PublishOptions = {}): Promise<Stream> {
    const { ctx, name, conversation } = this.#h;
    if (!this.#h.joined()) throw apiError(ERROR_OTHER, 'publish() - conversation not joined');
    if (!(stream instanceof Stream) || stream.isRemote || !stream.data) throw apiError(ERROR_OTHER, 'publish() - No stream specified');
    if (this.of(stream)) throw apiError(ERROR_OTHER, 'publish() - Stream is already published in this conversation!');
    const ms = stream.data;
    const kinds = { audio: stream.hasAudio() && !opts.videoOnly, video: stream.hasVideo() && !opts.audioOnly };
    const streamId = stream.streamId;
    const simulcast = simulcastEncodings(opts.simulcast);
    const media: PublishedMedia = { streamId, ms, kinds, ...(simulcast ? { simulcast } : {}) };
    const remoteUnmute = opts.remoteUnmuteEnabled === true;
    const pub: Publication = {
      conversation,
      name,
      stream,
      streamId,
      media,
      callId: '',
      call: null as unknown as ConversationCall,
      ready: false,
      detach: () => undefined,
      remoteUnmute,
    };
    publicationRegistry.add(pub);
    const epoch = this.#h.epoch();
    const announced = mutedState(stream, kinds);
    try {
      const data = await ctx.request({
        type: 'conv.publish',
        conversation: name,
        streamId,
        msid: ms.id,
        hasAudio: kinds.audio,
        hasVideo: kinds.video,
        isAudioMuted: announced.audioMuted,
        isVideoMuted: announced.videoMuted,
        isScreensharing: stream.isScreensharing(),
        ...(opts.context && typeof opts.context === 'object' ? { context: opts.context as Record<string, unknown> } : {}),
        remoteUnmuteEnabled: remoteUnmute,
      });
      pub.callId = data?.callId ?? String(streamId);
    } catch (err) {
      publicationRegistry.remove(pub);
      throw apiError(ERROR_OTHER, 'publish() - failed to establish call', err);
    }
    if (epoch !== this.#h.epoch() || !publicationRegistry.holds(pub)) throw apiError(ERROR_OTHER, 'publish() - conversation not joined');
    pub.call = new ConversationCall(conversation, pub.callId, stream);
    try {
      await this.#media.plane?.publish(media);
    } catch (err) {
      if (publicationRegistry.remove(pub)) {
        ctx.request({ type: 'conv.unpublish', conversation: name, streamId }).catch(() => undefined);
      }
      throw apiError(ERROR_OTHER, 'publish() - failed to establish call', err);
    }
    if (epoch !== this.#h.epoch() || !publicationRegistry.holds(pub)) throw apiError(ERROR_OTHER, 'publish() - conversation not joined');
    publicationRegistry.markReady(pub);
    pub.detach = this.watch(pub);
    // The Stream is watched only from here: a mute or unmute while the media connected (seconds
    // on a slow network) was not announced, and the others would keep the old state.
    const now = mutedState(stream, kinds);
    if (now.audioMuted !== announced.audioMuted || now.videoMuted !== announced.videoMuted) this.sendUpdate(pub);
    return stream;
  }

  /** Withdraws a publication (`conv.unpublish`), stops its media and emits `hangup`. */
  unpublish(stream: unknown): void {
    const pub = this.of(stream);
    if (!pub) {
      log.error('unpublish() - stream is not published in this conversation');
      return;
    }
    this.drop(pub);
    this.#h.ctx
      .request({ type: 'conv.unpublish', conversation: this.#h.name, streamId: pub.streamId })
      .catch((err: unknown) => log.warn('conv.unpublish failed', errorText(err)));
    this.#media.plane?.unpublish(pub.media).catch(() => undefined);
    this.#h.emit('hangup', { from: 'local', reason: 'unpublished', streamId: pub.streamId });
  }

  /**
   * Replaces the media of a published stream with RTCRtpSender.replaceTrack (no renegotiation).
   * The announced stream id stays the same (subscribers keep their subscription); the change is
   * announced with `conv.updateStream` (streamListChanged 'updated', remoteStreamUpdated).
   */
  async replace(oldStream: unknown, newStream: unknown): Promise<Stream> {
    const pub = this.of(oldStream);
    if (!pub || !pub.ready) throw new Error('CALL_NOT_FOUND');
    if (!(newStream instanceof Stream) || !newStream.data) throw new Error('replacePublishedStream() - No stream specified');
    const oldMs = pub.media.ms;
    pub.detach();
    pub.stream = newStream;
    pub.media.ms = newStream.data;
    pub.call = new ConversationCall(this.#h.conversation, pub.callId, newStream);
    await this.#media.plane?.replace(oldMs, pub.media);
    pub.detach = this.watch(pub);
    this.sendUpdate(pub);
    return newStream;
  }

  /** Listens to a published local stream: enable/disable → conv.updateStream; constraints → conv.constraintsChanged. */
  watch(pub: Publication): () => void {
    const stream = pub.stream;
    const onFlow = (): void => this.sendUpdate(pub);
    const onConstraints = (constraints: unknown): void => {
      this.#h.ctx
        .request({ type: 'conv.constraintsChanged', conversation: this.#h.name, streamId: pub.streamId, constraints: withoutDeviceIds(jsonSafe(constraints)) })
        .catch(() => undefined);
    };
    stream.on('audioFlowStatusChanged', onFlow).on('videoFlowStatusChanged', onFlow).on('constraintsChanged', onConstraints);
    return () => {
      stream
        .removeListener('audioFlowStatusChanged', onFlow)
        .removeListener('videoFlowStatusChanged', onFlow)
        .removeListener('constraintsChanged', onConstraints);
    };
  }

  /** Announces the stream's current kinds and enabled state; emits `localStreamUpdated` (cause userAction). */
  sendUpdate(pub: Publication): void {
    const s = pub.stream;
    const kinds = { audio: pub.media.kinds.audio && s.hasAudio(), video: pub.media.kinds.video && s.hasVideo() };
    const { audioMuted, videoMuted } = mutedState(s, kinds);
    this.#h.ctx
      .request({
        type: 'conv.updateStream',
        conversation: this.#h.name,
        streamId: pub.streamId,
        hasAudio: kinds.audio,
        hasVideo: kinds.video,
        isAudioMuted: audioMuted,
        isVideoMuted: videoMuted,
      })
      .catch((err: unknown) => log.warn('conv.updateStream failed', errorText(err)));
    this.#h.emit('localStreamUpdated', {
      callId: pub.callId,
      streamId: pub.streamId,
      audio: kinds.audio,
      audioMuted,
      video: kinds.video,
      videoMuted,
      cause: 'userAction',
    });
  }

  /**
   * Publisher side of the relay: runs the action on the published Stream, answers `conv.relayAnswer`.
   * This page owns the media, so it decides: re-enabling needs `remoteUnmuteEnabled`, and device
   * ids neither leave (results) nor come in (a requester choosing or probing our devices).
   */
  async answerRelay(e: Extract<ConversationServerEvent, { type: 'conv.relayRequest' }>): Promise<void> {
    const pub = publicationRegistry.get(this.#h.conversation, e.streamId);
    let answer: { ok: boolean; result?: unknown; error?: string };
    if (!pub || !pub.ready) {
      answer = { ok: false, error: 'no such stream' };
    } else if ((e.action === 'enableAudio' || e.action === 'enableVideo') && !pub.remoteUnmute) {
      answer = { ok: false, error: 'remote unmute not allowed by the publisher' };
    } else {
      try {
        const result = await runRelayAction(pub.stream, e.action, withoutDeviceIds(e.args));
        answer = { ok: true, result: withoutDeviceIds(jsonSafe(result)) };
      } catch (err) {
        answer = { ok: false, error: errorText(err).slice(0, 1000) };
      }
    }
    const body = {
      type: 'conv.relayAnswer' as const,
      relayId: e.relayId,
      ok: answer.ok,
      ...(answer.ok ? { result: answer.result } : { error: answer.error ?? 'failed' }),
    };
    await this.#h.ctx.request(body).catch((err: unknown) => log.warn('conv.relayAnswer failed', errorText(err)));
  }
}

/** What the others are told of a published stream: a kind not sent counts as muted. */
function mutedState(stream: Stream, kinds: Kinds): { audioMuted: boolean; videoMuted: boolean } {
  return { audioMuted: !(kinds.audio && stream.isAudioEnabled()), videoMuted: !(kinds.video && stream.isVideoEnabled()) };
}
