import type { ConversationServerEvent } from '../../engine/Engine.js';
import type { PublishedMedia } from '../../media/MediaPlane.js';
import { log } from '../../util/Logger.js';
import type { ConversationCall } from '../ConversationCall.js';
import type { Conversation } from '../Conversation.js';
import { CONVERSATIONS } from '../internal.js';
import type { Stream } from '../Stream.js';
import type { ConversationContext } from './context.js';
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
}

/** A local stream published here. */
export interface Publication {
  stream: Stream;
  /** Announced id (the local stream id at publish time). */
  streamId: number;
  media: PublishedMedia;
  callId: string;
  call: ConversationCall;
  ready: boolean;
  detach: () => void;
  /** `PublishOptions.remoteUnmuteEnabled` of this publication. */
  remoteUnmute: boolean;
}

/** What a {@link PublicationSet} reports to. */
export interface PublicationHost {
  ctx: ConversationContext;
  conversation: Conversation;
  name: string;
  emit: (name: string, payload?: unknown) => void;
}

/**
 * The local streams published in one conversation, by announced id: lookup, bookkeeping on the
 * Stream, announcements of local changes (`conv.updateStream`, `conv.constraintsChanged`,
 * `localStreamUpdated`) and the publisher side of the relay (`conv.relayRequest`).
 */
export class PublicationSet {
  readonly byId = new Map<number, Publication>();
  readonly #h: PublicationHost;

  constructor(host: PublicationHost) {
    this.#h = host;
  }

  /** The publication of a local Stream object. */
  of(stream: unknown): Publication | undefined {
    for (const p of this.byId.values()) if (p.stream === stream) return p;
    return undefined;
  }

  /** Forgets a publication and clears its bookkeeping on the Stream (no request). */
  drop(pub: Publication): void {
    this.byId.delete(pub.streamId);
    pub.detach();
    pub.stream.publishedInConversations.delete(this.#h.name);
    pub.stream[CONVERSATIONS].delete(this.#h.conversation);
    if (pub.stream.publishedInConversations.size === 0) pub.stream.callId = null;
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
      stream.removeListener('audioFlowStatusChanged', onFlow).removeListener('videoFlowStatusChanged', onFlow).removeListener('constraintsChanged', onConstraints);
    };
  }

  /** Announces the stream's current kinds and enabled state; emits `localStreamUpdated` (cause userAction). */
  sendUpdate(pub: Publication): void {
    const s = pub.stream;
    const kinds = { audio: pub.media.kinds.audio && s.hasAudio(), video: pub.media.kinds.video && s.hasVideo() };
    const audioMuted = !(kinds.audio && s.isAudioEnabled());
    const videoMuted = !(kinds.video && s.isVideoEnabled());
    this.#h.ctx
      .request({ type: 'conv.updateStream', conversation: this.#h.name, streamId: pub.streamId, hasAudio: kinds.audio, hasVideo: kinds.video, isAudioMuted: audioMuted, isVideoMuted: videoMuted })
      .catch((err: unknown) => log.warn('conv.updateStream failed', errorText(err)));
    this.#h.emit('localStreamUpdated', { callId: pub.callId, streamId: pub.streamId, audio: kinds.audio, audioMuted, video: kinds.video, videoMuted, cause: 'userAction' });
  }

  /**
   * Publisher side of the relay: runs the action on the published Stream, answers `conv.relayAnswer`.
   * This page owns the media, so it decides: re-enabling needs `remoteUnmuteEnabled`, and device
   * ids neither leave (results) nor come in (a requester choosing or probing our devices).
   */
  async answerRelay(e: Extract<ConversationServerEvent, { type: 'conv.relayRequest' }>): Promise<void> {
    const pub = this.byId.get(e.streamId);
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
    const body = { type: 'conv.relayAnswer' as const, relayId: e.relayId, ok: answer.ok, ...(answer.ok ? { result: answer.result } : { error: answer.error ?? 'failed' }) };
    await this.#h.ctx.request(body).catch((err: unknown) => log.warn('conv.relayAnswer failed', errorText(err)));
  }
}
