import { ErrorCode } from '@parley/protocol';
import { ERROR_OTHER } from '../../constants.js';
import { RequestError } from '../../engine/RequestError.js';
import type { Kinds } from '../../media/MediaPlane.js';
import { apiError, reject } from '../../util/errors.js';
import { log } from '../../util/Logger.js';
import { createRemoteStream, type RelayAction, type Stream } from '../Stream.js';
import type { AnnouncedStreams } from './AnnouncedStreams.js';
import type { ConversationMedia } from './ConversationMedia.js';
import type { ConversationScope } from './context.js';
import { errorText, jsonSafe } from './relay.js';
import { toStreamId } from './streamInfo.js';

/** Relay requests to a publisher time out after this long (docs/sdk-reference.md#remote-constraints-relay). */
export const RELAY_TIMEOUT_MS = 10_000;

/** A subscription to a remote stream. */
export interface Subscription {
  streamId: number;
  publisherId: string;
  kinds: Kinds;
  stream: Stream | null;
  /** Settles the subscribeToStream promise(s). */
  promise: Promise<Stream>;
}

/**
 * The remote streams the local user subscribed to in one conversation: `conv.subscribe` and the
 * media that answers it, the remote Stream (`streamAdded` / `streamRemoved` / `hangup`) and the
 * subscriber side of the relay (`conv.relay`: remote Stream methods run by the publisher).
 */
export class SubscriptionSet {
  readonly #h: ConversationScope;
  readonly #media: ConversationMedia;
  readonly #streams: AnnouncedStreams;
  readonly #byId = new Map<number, Subscription>();

  constructor(scope: ConversationScope, media: ConversationMedia, streams: AnnouncedStreams) {
    this.#h = scope;
    this.#media = media;
    this.#streams = streams;
  }

  /** Every subscription, pending ones included. */
  all(): Subscription[] {
    return [...this.#byId.values()];
  }

  /** The remote Stream of a subscription whose media arrived. */
  stream(id: unknown): Stream | undefined {
    return this.#byId.get(toStreamId(id))?.stream ?? undefined;
  }

  subscribe(id: unknown, opts: { audioOnly?: boolean; videoOnly?: boolean } = {}): Promise<Stream> {
    if (!this.#h.joined()) return reject(ERROR_OTHER, 'subscribeToMedia() - conversation not joined');
    const streamId = toStreamId(id);
    const d = this.#streams.get(streamId);
    if (!d) return reject(ERROR_OTHER, 'subscribeToMedia() - no such stream');
    if (d.publisherId === this.#h.ctx.selfId()) return reject(ERROR_OTHER, 'subscribeToMedia() - stream not available');
    const existing = this.#byId.get(streamId);
    if (existing) return existing.promise;
    const kinds = { audio: d.hasAudio && !opts.videoOnly, video: d.hasVideo && !opts.audioOnly };
    const sub: Subscription = { streamId, publisherId: d.publisherId, kinds, stream: null, promise: Promise.resolve(null as unknown as Stream) };
    sub.promise = this.#start(sub);
    this.#byId.set(streamId, sub);
    return sub.promise;
  }

  async #start(sub: Subscription): Promise<Stream> {
    const plane = this.#media.plane;
    if (!plane) throw apiError(ERROR_OTHER, 'subscribeToMedia() - conversation not joined');
    const { ctx, name } = this.#h;
    let ms: MediaStream | null;
    try {
      ms = await plane.subscribe(sub.streamId, sub.publisherId, sub.kinds, () =>
        ctx.request({ type: 'conv.subscribe', conversation: name, streamId: sub.streamId, audio: sub.kinds.audio, video: sub.kinds.video }),
      );
    } catch (err) {
      if (this.#byId.get(sub.streamId) === sub) this.#byId.delete(sub.streamId);
      if (err instanceof RequestError && err.kind === 'answer' && err.code === ErrorCode.NOT_FOUND)
        throw apiError(ERROR_OTHER, 'subscribeToMedia() - no such stream', err);
      throw apiError(ERROR_OTHER, 'subscribeToMedia() - stream not available', err);
    }
    if (this.#byId.get(sub.streamId) !== sub || this.#media.plane !== plane) {
      throw apiError(ERROR_OTHER, 'subscribeToMedia() - stream not available');
    }
    const d = this.#streams.get(sub.streamId);
    const stream = createRemoteStream(ms, ctx.contact(sub.publisherId), {
      streamId: sub.streamId,
      callId: d?.callId ?? String(sub.streamId),
      audioEnabled: d ? !d.isAudioMuted : true,
      videoEnabled: d ? !d.isVideoMuted : true,
      screensharing: d?.isScreensharing ?? false,
      link: { relay: (action, args) => this.#relay(sub.streamId, action, args) },
    });
    sub.stream = stream;
    this.#h.emit('streamAdded', stream);
    return stream;
  }

  unsubscribe(id: unknown): void {
    const streamId = toStreamId(id);
    if (!this.#byId.has(streamId)) {
      log.warn('unsubscribeToStream() - no such subscription');
      return;
    }
    this.#h.ctx.request({ type: 'conv.unsubscribe', conversation: this.#h.name, streamId }).catch(() => undefined);
    this.end(streamId, 'local', 'unsubscribed', false);
  }

  /** Ends a subscription locally: streamRemoved (when it had media) and hangup for remote ends. */
  end(streamId: number, from: 'local' | 'remote', reason: string, ended: boolean): void {
    const sub = this.#byId.get(streamId);
    if (!sub) return;
    this.#byId.delete(streamId);
    this.#media.plane?.unsubscribe(streamId, sub.publisherId, ended || from === 'remote');
    if (sub.stream) {
      this.#h.emit('streamRemoved', sub.stream);
      if (from === 'remote') this.#h.emit('hangup', { from: 'remote', reason, streamId });
    }
  }

  /**
   * Forgets every subscription without touching the media plane (it is being replaced) and emits
   * `streamRemoved` for those with media; returns them so they can be renewed.
   */
  takeAll(): Subscription[] {
    const subs = this.all();
    for (const sub of subs) {
      this.#byId.delete(sub.streamId);
      if (sub.stream) this.#h.emit('streamRemoved', sub.stream);
    }
    return subs;
  }

  /** Subscribes again to `subs` (same kinds), logging failures. */
  renew(subs: { streamId: number; kinds: Kinds }[], what: string): Promise<unknown> {
    return Promise.all(
      subs.map((s) =>
        this.subscribe(s.streamId, { audioOnly: !s.kinds.video, videoOnly: !s.kinds.audio }).catch((err: unknown) =>
          log.warn(`re-subscribing ${what} failed`, err),
        ),
      ),
    );
  }

  async #relay(streamId: number, action: RelayAction, args: unknown): Promise<unknown> {
    if (!this.#h.joined()) throw new Error(`${action}() - conversation not joined`);
    try {
      const data = await this.#h.ctx.request(
        { type: 'conv.relay', conversation: this.#h.name, streamId, action, ...(args === undefined ? {} : { args: jsonSafe(args) }) },
        { timeoutMs: RELAY_TIMEOUT_MS + 1_000 },
      );
      return data?.result;
    } catch (err) {
      if (err instanceof RequestError && err.kind === 'timeout') throw new Error(`${action}() - timeout`);
      throw new Error(`${action}() - ${errorText(err)}`);
    }
  }
}
