import type { StreamDescriptor } from '@parley/protocol';
import {
  CONVERSATION_STATUS_JOINED,
  CONVERSATION_STATUS_JOINING,
  CONVERSATION_STATUS_NOT_JOINED,
  ERROR_OTHER,
  ERROR_WRONG_STATE,
  ERROR_UNAUTHORIZED,
} from '../../constants.js';
import { RequestError } from '../../engine/RequestError.js';
import { mediaPlanes, type Kinds, type MediaPlane, type PublishedMedia } from '../../media/MediaPlane.js';
import { apiError, reject } from '../../util/errors.js';
import { log } from '../../util/Logger.js';
import { ConversationCall } from '../ConversationCall.js';
import type { Conversation } from '../Conversation.js';
import { CONVERSATIONS, EMIT } from '../internal.js';
import { createRemoteStream, REMOTE_STATE, Stream, type RelayAction } from '../Stream.js';
import type { ConversationContext, ConversationServerEvent } from './context.js';
import { emitIncoming, sendCustomEvent, sendData, sendMessage } from './messaging.js';
import { PublicationSet, type Publication, type PublishOptions } from './publications.js';
import { errorText, jsonSafe } from './relay.js';
import { toStreamId, toStreamInfo, type StreamInfo } from './streamInfo.js';

/** After a re-join, how long the re-announcements of the known streams are awaited. */
const REJOIN_SETTLE_MS = 1_000;

/** Relay requests to a publisher time out after this long (§3.9). */
export const RELAY_TIMEOUT_MS = 10_000;

/** A subscription to a remote stream. */
interface Subscription {
  streamId: number;
  publisherId: string;
  kinds: Kinds;
  stream: Stream | null;
  /** Settles the subscribeToStream promise(s). */
  promise: Promise<Stream>;
}

type Emit = (name: string, payload?: unknown) => void;

/**
 * The joined state of one Conversation: membership, announced streams, publications,
 * subscriptions, messaging, the publisher relay and the media plane (SFU or mesh, with the switch
 * from mesh to SFU). The Conversation facade delegates its P0/P1 methods here.
 */
export class Room {
  readonly #conv: Conversation;
  readonly #name: string;
  readonly #ctx: ConversationContext;
  readonly #options: { meshModeEnabled?: boolean; meshOnlyEnabled?: boolean };
  status: symbol = CONVERSATION_STATUS_NOT_JOINED;
  mode: 'sfu' | 'mesh' = 'sfu';
  meshOnly = false;
  #plane: MediaPlane | null = null;
  readonly #streams = new Map<number, StreamDescriptor>();
  readonly #pubs: PublicationSet;
  readonly #subscriptions = new Map<number, Subscription>();
  readonly #members = new Set<string>();
  #switching = false;
  /** After a re-join: the streams known before, so their re-announcement emits no duplicate event. */
  #resyncStreams: Map<number, StreamDescriptor> | null = null;
  /** Bumped on every join/leave, so stale async work can tell it is outdated. */
  #epoch = 0;

  constructor(conv: Conversation, name: string, ctx: ConversationContext, options: { meshModeEnabled?: boolean; meshOnlyEnabled?: boolean }) {
    this.#conv = conv;
    this.#name = name;
    this.#ctx = ctx;
    this.#options = options;
    this.#pubs = new PublicationSet({ ctx, conversation: conv, name, emit: (n, p) => this.#emit(n, p) });
  }

  get joined(): boolean {
    return this.status === CONVERSATION_STATUS_JOINED;
  }

  #emit: Emit = (name, payload) => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it: it drops EMIT's per-event payload typing
    (this.#conv[EMIT] as (n: string, ...p: unknown[]) => void)(name, ...(payload === undefined ? [] : [payload]));
  };

  // ---- membership -------------------------------------------------------------------------------

  async join(silent = false): Promise<object> {
    if (this.status !== CONVERSATION_STATUS_NOT_JOINED) throw apiError(ERROR_OTHER, 'join() - cannot join conversation');
    this.status = CONVERSATION_STATUS_JOINING;
    const epoch = ++this.#epoch;
    let data: { mode?: string; meshOnly?: boolean } | undefined;
    try {
      data = (await this.#ctx.request({
        type: 'conv.join',
        conversation: this.#name,
        meshModeEnabled: Boolean(this.#options.meshModeEnabled),
        meshOnlyEnabled: Boolean(this.#options.meshOnlyEnabled),
      })) as typeof data;
    } catch (err) {
      if (epoch === this.#epoch) this.status = CONVERSATION_STATUS_NOT_JOINED;
      throw apiError(ERROR_UNAUTHORIZED, `join() - ${errorText(err)}`, err);
    }
    if (epoch !== this.#epoch) throw apiError(ERROR_OTHER, 'join() - cannot join conversation');
    this.mode = data?.mode === 'mesh' ? 'mesh' : 'sfu';
    this.meshOnly = Boolean(data?.meshOnly);
    this.#plane = this.#createPlane(this.mode);
    this.status = CONVERSATION_STATUS_JOINED;
    if (!silent) this.#emit('joined');
    // Members already present are announced after join() resolved (§3.4 step 3).
    setTimeout(() => {
      if (epoch === this.#epoch) this.#syncMembers();
    }, 0);
    if (this.mode === 'mesh') return this.meshOnly ? { mode: 'mesh', meshOnly: true } : { mode: 'mesh' };
    return {};
  }

  async leave(): Promise<void> {
    if (!this.joined) throw apiError(ERROR_WRONG_STATE, 'leave() - webconf not joined');
    this.#teardown('local', 'leave');
    try {
      await this.#ctx.request({ type: 'conv.leave', conversation: this.#name });
    } catch (err) {
      log.warn('conv.leave failed', errorText(err));
    }
    this.#ctx.forgetGroup(this.#name);
    this.#emit('left');
  }

  /** Local end of everything (leave, session end). */
  #teardown(from: 'local' | 'remote', reason: string): void {
    this.#epoch++;
    for (const sub of [...this.#subscriptions.values()]) this.#endSubscription(sub.streamId, from, reason, false);
    for (const pub of [...this.#pubs.byId.values()]) this.#pubs.drop(pub);
    this.#plane?.close();
    this.#plane = null;
    this.#streams.clear();
    this.#members.clear();
    this.status = CONVERSATION_STATUS_NOT_JOINED;
  }

  /** The session ended (disconnect / unregister): everything stops without requests. */
  sessionEnded(): void {
    if (this.status === CONVERSATION_STATUS_NOT_JOINED) return;
    const wasJoined = this.joined;
    this.#teardown('local', 'disconnected');
    if (wasJoined) this.#emit('left');
  }

  /**
   * The server had dropped the session (re-registration): joins again, publishes the local streams
   * again and renews the subscriptions (`streamRemoved` then `streamAdded`).
   */
  async rejoin(): Promise<void> {
    if (!this.joined) return;
    const pubs = [...this.#pubs.byId.values()].map((p) => ({ stream: p.stream, kinds: p.media.kinds, remoteUnmute: p.remoteUnmute }));
    const subs = [...this.#subscriptions.values()].map((s) => ({ streamId: s.streamId, kinds: s.kinds }));
    const known = new Map(this.#streams);
    this.#teardown('local', 'reconnection');
    this.#resyncStreams = known;
    try {
      await this.join(true);
    } catch (err) {
      log.error(`re-joining conversation ${this.#name} failed`, err);
      this.#emit('left');
      return;
    }
    for (const p of pubs) {
      await this.publish(p.stream, { audioOnly: !p.kinds.video, videoOnly: !p.kinds.audio, remoteUnmuteEnabled: p.remoteUnmute }).catch((err: unknown) => log.error('re-publishing failed', err));
    }
    // The publishers' streams are announced again (conv.stream added) right after the join; the
    // ones that were not are gone.
    await new Promise((r) => setTimeout(r, REJOIN_SETTLE_MS));
    const gone = this.#resyncStreams;
    this.#resyncStreams = null;
    for (const d of gone?.values() ?? []) {
      if (this.#streams.has(d.streamId) || !this.joined) continue;
      this.#emit('streamListChanged', this.#info(d, 'removed'));
    }
    for (const s of subs) {
      await this.subscribe(s.streamId, { audioOnly: !s.kinds.video, videoOnly: !s.kinds.audio }).catch((err: unknown) => log.warn('re-subscribing failed', err));
    }
  }

  /** Presence of the conversation's group changed. */
  onPresence(joined: string[], left: string[]): void {
    if (!this.joined) return;
    for (const id of joined) this.#memberJoined(id);
    for (const id of left) {
      if (!this.#members.delete(id)) continue;
      this.#plane?.peerLeft(id);
      this.#emit('contactLeft', this.#ctx.contact(id));
    }
  }

  #syncMembers(): void {
    for (const id of this.#ctx.members(this.#name)) this.#memberJoined(id);
  }

  #memberJoined(id: string): void {
    if (id === this.#ctx.selfId() || this.#members.has(id)) return;
    this.#members.add(id);
    this.#emit('contactJoined', this.#ctx.contact(id));
  }

  contacts(): { [id: string]: import('../Contact.js').Contact } {
    const out: { [id: string]: import('../Contact.js').Contact } = {};
    for (const id of this.#members) out[id] = this.#ctx.contact(id);
    return out;
  }

  // ---- streams ---------------------------------------------------------------------------------

  streamList(): StreamInfo[] {
    return [...this.#streams.values()].map((d) => this.#info(d));
  }

  streamInfo(id: unknown): StreamInfo | undefined {
    const d = this.#streams.get(toStreamId(id));
    return d ? this.#info(d) : undefined;
  }

  #info(d: StreamDescriptor, listEventType?: 'added' | 'removed' | 'updated'): StreamInfo {
    return toStreamInfo(d, this.#ctx.selfId(), (id) => this.#ctx.contact(id), listEventType);
  }

  #availableStreams(): { [id: string]: StreamInfo } {
    return Object.fromEntries(this.streamList().map((i) => [String(i.streamId), i]));
  }

  // ---- publishing ------------------------------------------------------------------------------

  isPublished(stream: unknown): boolean {
    return this.#pubs.of(stream)?.ready === true;
  }

  call(stream: unknown): ConversationCall | null {
    const pub = this.#pubs.of(stream);
    return pub?.ready ? pub.call : null;
  }

  async publish(stream: unknown, opts: PublishOptions = {}): Promise<Stream> {
    if (!this.joined) throw apiError(ERROR_OTHER, 'publish() - conversation not joined');
    if (!(stream instanceof Stream) || stream.isRemote || !stream.data) throw apiError(ERROR_OTHER, 'publish() - No stream specified');
    if (this.#pubs.of(stream)) throw apiError(ERROR_OTHER, 'publish() - Stream is already published in this conversation!');
    const ms = stream.data;
    const kinds = { audio: stream.hasAudio() && !opts.videoOnly, video: stream.hasVideo() && !opts.audioOnly };
    const streamId = stream.streamId;
    const media: PublishedMedia = { streamId, ms, kinds };
    const remoteUnmute = opts.remoteUnmuteEnabled === true;
    const pub: Publication = { stream, streamId, media, callId: '', call: null as unknown as ConversationCall, ready: false, detach: () => undefined, remoteUnmute };
    this.#pubs.byId.set(streamId, pub);
    const epoch = this.#epoch;
    try {
      const data = (await this.#ctx.request({
        type: 'conv.publish',
        conversation: this.#name,
        streamId,
        msid: ms.id,
        hasAudio: kinds.audio,
        hasVideo: kinds.video,
        isAudioMuted: !(kinds.audio && stream.isAudioEnabled()),
        isVideoMuted: !(kinds.video && stream.isVideoEnabled()),
        isScreensharing: stream.isScreensharing(),
        ...(opts.context && typeof opts.context === 'object' ? { context: opts.context as Record<string, unknown> } : {}),
        remoteUnmuteEnabled: remoteUnmute,
      })) as { callId?: string } | undefined;
      pub.callId = data?.callId ?? String(streamId);
    } catch (err) {
      if (this.#pubs.byId.get(streamId) === pub) this.#pubs.byId.delete(streamId);
      throw apiError(ERROR_OTHER, 'publish() - failed to establish call', err);
    }
    if (epoch !== this.#epoch || this.#pubs.byId.get(streamId) !== pub) throw apiError(ERROR_OTHER, 'publish() - conversation not joined');
    pub.call = new ConversationCall(this.#conv, pub.callId, stream);
    try {
      await this.#plane?.publish(media);
    } catch (err) {
      if (this.#pubs.byId.get(streamId) === pub) {
        this.#pubs.byId.delete(streamId);
        this.#ctx.request({ type: 'conv.unpublish', conversation: this.#name, streamId }).catch(() => undefined);
      }
      throw apiError(ERROR_OTHER, 'publish() - failed to establish call', err);
    }
    if (epoch !== this.#epoch || this.#pubs.byId.get(streamId) !== pub) throw apiError(ERROR_OTHER, 'publish() - conversation not joined');
    pub.ready = true;
    stream.callId = pub.callId;
    stream.publishedInConversations.set(this.#name, pub.callId);
    stream[CONVERSATIONS].add(this.#conv);
    pub.detach = this.#pubs.watch(pub);
    return stream;
  }

  unpublish(stream: unknown): void {
    const pub = this.#pubs.of(stream);
    if (!pub) {
      log.error('unpublish() - stream is not published in this conversation');
      return;
    }
    this.#pubs.drop(pub);
    this.#ctx.request({ type: 'conv.unpublish', conversation: this.#name, streamId: pub.streamId }).catch((err: unknown) => log.warn('conv.unpublish failed', errorText(err)));
    this.#plane?.unpublish(pub.media).catch(() => undefined);
    this.#emit('hangup', { from: 'local', reason: 'unpublished', streamId: pub.streamId });
  }

  /**
   * Replaces the media of a published stream with RTCRtpSender.replaceTrack (no renegotiation).
   * The announced stream id stays the same (subscribers keep their subscription); the change is
   * announced with `conv.updateStream` (streamListChanged 'updated', remoteStreamUpdated).
   */
  async replace(oldStream: unknown, newStream: unknown): Promise<Stream> {
    const pub = this.#pubs.of(oldStream);
    if (!pub || !pub.ready) throw new Error('CALL_NOT_FOUND');
    if (!(newStream instanceof Stream) || !newStream.data) throw new Error('replacePublishedStream() - No stream specified');
    const oldMs = pub.media.ms;
    pub.detach();
    pub.stream.publishedInConversations.delete(this.#name);
    pub.stream[CONVERSATIONS].delete(this.#conv);
    pub.stream = newStream;
    pub.media.ms = newStream.data;
    pub.call = new ConversationCall(this.#conv, pub.callId, newStream);
    await this.#plane?.replace(oldMs, pub.media);
    newStream.callId = pub.callId;
    newStream.publishedInConversations.set(this.#name, pub.callId);
    newStream[CONVERSATIONS].add(this.#conv);
    pub.detach = this.#pubs.watch(pub);
    this.#pubs.sendUpdate(pub);
    return newStream;
  }

  // ---- subscribing -----------------------------------------------------------------------------

  subscribed(id: unknown): Stream | undefined {
    return this.#subscriptions.get(toStreamId(id))?.stream ?? undefined;
  }

  subscribe(id: unknown, opts: { audioOnly?: boolean; videoOnly?: boolean } = {}): Promise<Stream> {
    if (!this.joined) return reject(ERROR_OTHER, 'subscribeToMedia() - conversation not joined');
    const streamId = toStreamId(id);
    const d = this.#streams.get(streamId);
    if (!d) return reject(ERROR_OTHER, 'subscribeToMedia() - no such stream');
    if (d.publisherId === this.#ctx.selfId()) return reject(ERROR_OTHER, 'subscribeToMedia() - stream not available');
    const existing = this.#subscriptions.get(streamId);
    if (existing) return existing.promise;
    const kinds = { audio: d.hasAudio && !opts.videoOnly, video: d.hasVideo && !opts.audioOnly };
    const sub: Subscription = { streamId, publisherId: d.publisherId, kinds, stream: null, promise: Promise.resolve(null as unknown as Stream) };
    sub.promise = this.#startSubscription(sub);
    this.#subscriptions.set(streamId, sub);
    return sub.promise;
  }

  async #startSubscription(sub: Subscription): Promise<Stream> {
    const plane = this.#plane;
    if (!plane) throw apiError(ERROR_OTHER, 'subscribeToMedia() - conversation not joined');
    let ms: MediaStream | null;
    try {
      ms = await plane.subscribe(sub.streamId, sub.publisherId, sub.kinds, () =>
        this.#ctx.request({ type: 'conv.subscribe', conversation: this.#name, streamId: sub.streamId, audio: sub.kinds.audio, video: sub.kinds.video }),
      );
    } catch (err) {
      if (this.#subscriptions.get(sub.streamId) === sub) this.#subscriptions.delete(sub.streamId);
      if (err instanceof RequestError && err.kind === 'answer' && err.code === 8) throw apiError(ERROR_OTHER, 'subscribeToMedia() - no such stream', err);
      throw apiError(ERROR_OTHER, 'subscribeToMedia() - stream not available', err);
    }
    if (this.#subscriptions.get(sub.streamId) !== sub || this.#plane !== plane) {
      throw apiError(ERROR_OTHER, 'subscribeToMedia() - stream not available');
    }
    const d = this.#streams.get(sub.streamId);
    const stream = createRemoteStream(ms, this.#ctx.contact(sub.publisherId), {
      streamId: sub.streamId,
      callId: d?.callId ?? String(sub.streamId),
      audioEnabled: d ? !d.isAudioMuted : true,
      videoEnabled: d ? !d.isVideoMuted : true,
      screensharing: d?.isScreensharing ?? false,
      link: { relay: (action, args) => this.#relay(sub.streamId, action, args) },
    });
    sub.stream = stream;
    this.#emit('streamAdded', stream);
    return stream;
  }

  unsubscribe(id: unknown): void {
    const streamId = toStreamId(id);
    const sub = this.#subscriptions.get(streamId);
    if (!sub) {
      log.warn('unsubscribeToStream() - no such subscription');
      return;
    }
    this.#ctx.request({ type: 'conv.unsubscribe', conversation: this.#name, streamId }).catch(() => undefined);
    this.#endSubscription(streamId, 'local', 'unsubscribed', false);
  }

  /** Ends a subscription locally: streamRemoved (when it had media) and hangup for remote ends. */
  #endSubscription(streamId: number, from: 'local' | 'remote', reason: string, ended: boolean): void {
    const sub = this.#subscriptions.get(streamId);
    if (!sub) return;
    this.#subscriptions.delete(streamId);
    this.#plane?.unsubscribe(streamId, sub.publisherId, ended || from === 'remote');
    if (sub.stream) {
      this.#emit('streamRemoved', sub.stream);
      if (from === 'remote') this.#emit('hangup', { from: 'remote', reason, streamId });
    }
  }

  // ---- relay -----------------------------------------------------------------------------------

  async #relay(streamId: number, action: RelayAction, args: unknown): Promise<unknown> {
    if (!this.joined) throw new Error(`${action}() - conversation not joined`);
    try {
      const data = (await this.#ctx.request(
        { type: 'conv.relay', conversation: this.#name, streamId, action, ...(args === undefined ? {} : { args: jsonSafe(args) }) },
        { timeoutMs: RELAY_TIMEOUT_MS + 1_000 },
      )) as { result?: unknown } | undefined;
      return data?.result;
    } catch (err) {
      if (err instanceof RequestError && err.kind === 'timeout') throw new Error(`${action}() - timeout`);
      throw new Error(`${action}() - ${errorText(err)}`);
    }
  }

  // ---- messaging (conversation/messaging.ts) ---------------------------------------------------

  sendMessage(msg: unknown, opts: { metadata?: object } = {}): Promise<number> {
    return sendMessage(this.#ctx, this.#name, this.joined, msg, opts);
  }

  sendData(data: unknown): Promise<void> {
    return sendData(this.#ctx, this.#name, this.joined, data);
  }

  sendCustomEvent(event: unknown, content: unknown): Promise<void> {
    return sendCustomEvent(this.#ctx, this.#name, this.joined, event, content);
  }

  // ---- server events ---------------------------------------------------------------------------

  onEvent(e: ConversationServerEvent): void {
    if (!this.joined) return;
    switch (e.type) {
      case 'conv.stream':
        this.#onStream(e.change, e.stream);
        return;
      case 'conv.subscriptionEnded':
        // Subscriptions ended by a mode switch are renewed by the SDK itself.
        if (!this.#switching && !/mode/i.test(e.reason)) this.#endSubscription(e.streamId, 'remote', e.reason, true);
        return;
      case 'media.subscriberOffer':
      case 'media.candidate':
      case 'mesh.signal':
        this.#plane?.onEvent(e);
        return;
      case 'conv.modeChanged':
        if (e.state === 'ongoing' && e.newMode !== this.mode) void this.#switchMode(e.oldMode, e.newMode);
        return;
      case 'conv.message':
      case 'conv.data':
      case 'conv.customEvent':
        emitIncoming(e, { ctx: this.#ctx, conversation: this.#conv, name: this.#name, emit: this.#emit });
        return;
      case 'conv.relayRequest':
        void this.#pubs.answerRelay(e);
        return;
      case 'conv.constraintsChanged':
        this.#subscriptions.get(e.streamId)?.stream?.[EMIT]('constraintsChanged', e.constraints as object);
        return;
    }
  }

  #onStream(change: 'added' | 'removed' | 'updated', d: StreamDescriptor): void {
    if (change === 'removed') {
      if (!this.#streams.delete(d.streamId)) return;
      this.#emit('streamListChanged', this.#info(d, 'removed'));
      this.#endSubscription(d.streamId, 'remote', 'unpublished', true);
    } else {
      const before = this.#resyncStreams?.get(d.streamId);
      if (before) {
        // Re-announced after a re-join: only a real change is reported.
        this.#resyncStreams?.delete(d.streamId);
        this.#streams.set(d.streamId, d);
        if (JSON.stringify(before) !== JSON.stringify(d)) this.#emit('streamListChanged', this.#info(d, 'updated'));
        return;
      }
      const known = this.#streams.has(d.streamId);
      this.#streams.set(d.streamId, d);
      this.#emit('streamListChanged', this.#info(d, known ? 'updated' : change));
      const stream = this.#subscriptions.get(d.streamId)?.stream;
      if (known && stream) {
        stream[REMOTE_STATE](!d.isAudioMuted, !d.isVideoMuted);
        this.#emit('remoteStreamUpdated', {
          callId: d.callId,
          streamId: d.streamId,
          audio: d.hasAudio,
          audioMuted: d.isAudioMuted,
          video: d.hasVideo,
          videoMuted: d.isVideoMuted,
          cause: 'userAction',
        });
      }
    }
    this.#emit('availableStreamsUpdated', this.#availableStreams());
  }

  // ---- media plane and mode switch -------------------------------------------------------------

  #createPlane(mode: 'sfu' | 'mesh'): MediaPlane {
    return mediaPlanes.create(mode, {
      conversation: this.#name,
      selfId: this.#ctx.selfId(),
      request: (body, timeoutMs) => this.#ctx.request(body, timeoutMs === undefined ? undefined : { timeoutMs }),
      report: (state, detail) => this.#onIce(state, detail),
      published: (streamId) => {
        const pub = this.#pubs.byId.get(streamId);
        return pub?.ready ? pub.media : undefined;
      },
    });
  }

  #onIce(state: 'disconnected' | 'failed', detail: string): void {
    if (!this.joined) return;
    const infos = detail === 'publisher'
      ? [...this.#pubs.byId.values()].map((p) => this.streamInfo(p.streamId))
      : [...this.#subscriptions.values()].map((s) => this.streamInfo(s.streamId));
    if (state === 'disconnected') {
      for (const streamInfo of infos) if (streamInfo) this.#emit('disconnectionWarning', { streamInfo });
      return;
    }
    this.#emit('error', { errorCode: 'ICE_CONNECTION_STATE_FAILED', errorInfo: `${detail} ICE connection failed`, descriptor: { transport: detail } });
  }

  /**
   * Mesh → SFU (or back): closes the old plane, sends the already-published streams on the new one
   * (same ids, no announcement) and renews the subscriptions (`streamRemoved(old)` then
   * `streamAdded(new)`, same streamId, no streamListChanged).
   */
  async #switchMode(oldMode: 'sfu' | 'mesh', newMode: 'sfu' | 'mesh'): Promise<void> {
    this.#switching = true;
    const epoch = this.#epoch;
    this.#emit('roomModeChanged', { oldMode, newMode, state: 'ongoing' });
    const subs = [...this.#subscriptions.values()];
    this.#plane?.close();
    this.mode = newMode;
    const plane = this.#createPlane(newMode);
    this.#plane = plane;
    for (const sub of subs) {
      this.#subscriptions.delete(sub.streamId);
      if (sub.stream) this.#emit('streamRemoved', sub.stream);
    }
    try {
      await Promise.all([...this.#pubs.byId.values()].filter((p) => p.ready).map((p) => plane.publish(p.media)));
    } catch (err) {
      log.error('re-publishing after the mode switch failed', err);
    }
    if (epoch !== this.#epoch) return;
    await Promise.all(
      subs.map((s) =>
        this.subscribe(s.streamId, { audioOnly: !s.kinds.video, videoOnly: !s.kinds.audio }).catch((err: unknown) => log.warn('re-subscribing after the mode switch failed', err)),
      ),
    );
    this.#switching = false;
    if (epoch !== this.#epoch) return;
    this.#emit('roomModeChanged', { oldMode, newMode, state: 'complete' });
  }
}
