import type { ConvJoinResult } from '@parley/protocol';
import {
  CONVERSATION_STATUS_JOINED,
  CONVERSATION_STATUS_JOINING,
  CONVERSATION_STATUS_NOT_JOINED,
  CONVERSATION_STATUS_WAITING,
  ERROR_OTHER,
  ERROR_UNAUTHORIZED,
  ERROR_WRONG_STATE,
} from '../../constants.js';
import { log } from '../../util/Logger.js';
import { apiError } from '../../util/errors.js';
import type { Contact } from '../Contact.js';
import type { ConversationCall } from '../ConversationCall.js';
import type { Conversation } from '../Conversation.js';
import { EMIT } from '../internal.js';
import type { Stream } from '../Stream.js';
import { AnnouncedStreams } from './AnnouncedStreams.js';
import type { ConversationContext, ConversationScope, ConversationServerEvent } from './context.js';
import { ConversationEventRouter } from './ConversationEventRouter.js';
import { ConversationMedia } from './ConversationMedia.js';
import { ConversationModeration } from './ConversationModeration.js';
import { ConversationRecording } from './ConversationRecording.js';
import { ConversationQuality } from './ConversationQuality.js';
import type { ConversationEmit } from './events.js';
import { sendCustomEvent, sendData, sendMessage } from './messaging.js';
import { PublicationSet, type PublishOptions } from './PublicationSet.js';
import type { StreamInfo } from './streamInfo.js';
import { SubscriptionSet } from './SubscriptionSet.js';
import { toStreamId } from './streamInfo.js';
import { errorText } from './relay.js';

/** The `getOrCreateConversation` options the join request carries. */
type JoinFlags = { meshModeEnabled?: boolean; meshOnlyEnabled?: boolean; moderationEnabled?: boolean; moderator?: boolean };

/** After a re-join, how long the re-announcements of the known streams are awaited. */
const REJOIN_SETTLE_MS = 1_000;

/**
 * The joined state of one Conversation: the join / leave / re-join state machine, its members,
 * and its parts: the announced streams, the publications, the subscriptions, messaging and the
 * media plane ({@link ConversationMedia}); the server events reach those parts through a
 * {@link ConversationEventRouter}. The Conversation facade delegates its P0/P1 methods here.
 */
export class JoinedConversation {
  readonly #name: string;
  readonly #ctx: ConversationContext;
  readonly #options: JoinFlags;
  readonly #scope: ConversationScope;
  readonly #media: ConversationMedia;
  readonly #streams: AnnouncedStreams;
  readonly #pubs: PublicationSet;
  readonly #subs: SubscriptionSet;
  readonly #quality: ConversationQuality;
  readonly #router: ConversationEventRouter;
  readonly #members = new Set<string>();
  /** The composite recording (start/stop, state, events). */
  readonly recording: ConversationRecording;
  status: symbol = CONVERSATION_STATUS_NOT_JOINED;
  /** Bumped on every join/leave, so stale async work can tell it is outdated. */
  #epoch = 0;

  readonly moderation: ConversationModeration;

  constructor(conv: Conversation, name: string, ctx: ConversationContext, options: JoinFlags) {
    this.#name = name;
    this.#ctx = ctx;
    this.#options = options;
    const emit: ConversationEmit = (event, ...payload) => conv[EMIT](event, ...payload);
    this.#scope = { ctx, conversation: conv, name, emit, joined: () => this.joined, epoch: () => this.#epoch };
    this.#streams = new AnnouncedStreams(ctx);
    this.#media = new ConversationMedia({ ctx, name, published: (streamId) => this.#pubs.readyMedia(streamId) });
    this.#pubs = new PublicationSet(this.#scope, this.#media);
    this.#subs = new SubscriptionSet(this.#scope, this.#media, this.#streams);
    this.recording = new ConversationRecording(this.#scope);
    this.moderation = new ConversationModeration(this.#scope, {
      ejected: () => {
        this.#teardown('remote', 'ejected');
        ctx.forgetGroup(name);
        this.#scope.emit('left');
      },
      stoppedWaiting: () => {
        this.#epoch++;
        this.status = CONVERSATION_STATUS_NOT_JOINED;
      },
    });
    this.#quality = new ConversationQuality(this.#scope, {
      published: () =>
        this.#pubs
          .all()
          .filter((p) => p.ready)
          .map((p) => ({ streamId: p.streamId, callId: p.callId, ms: p.media.ms, sendsAudio: p.media.kinds.audio })),
      subscribed: () =>
        this.#subs
          .all()
          .flatMap((s) => (s.stream?.data ? [{ streamId: s.streamId, callId: this.#streams.get(s.streamId)?.callId ?? '', ms: s.stream.data }] : [])),
      callIdOf: (streamId) => this.#streams.get(streamId)?.callId,
      connections: () => this.#media.plane?.connections() ?? [],
      mesh: () => this.#media.mode === 'mesh',
    });
    this.#router = new ConversationEventRouter({
      scope: this.#scope,
      media: this.#media,
      streams: this.#streams,
      pubs: this.#pubs,
      subs: this.#subs,
      recording: this.recording,
      quality: this.#quality,
    });
    this.#media.on('ice', (state, transport) => this.#router.ice(state, transport));
  }

  get joined(): boolean {
    return this.status === CONVERSATION_STATUS_JOINED;
  }

  /** Media mode of the conversation (`sfu` until joined). */
  get mode(): 'sfu' | 'mesh' {
    return this.#media.mode;
  }

  // ---- membership -------------------------------------------------------------------------------

  async join(silent = false): Promise<object> {
    if (this.status !== CONVERSATION_STATUS_NOT_JOINED) throw apiError(ERROR_OTHER, 'join() - cannot join conversation');
    this.status = CONVERSATION_STATUS_JOINING;
    const epoch = ++this.#epoch;
    let data: ConvJoinResult | undefined;
    try {
      data = await this.#joinRequest();
    } catch (err) {
      if (epoch === this.#epoch) this.status = CONVERSATION_STATUS_NOT_JOINED;
      throw apiError(ERROR_UNAUTHORIZED, `join() - ${errorText(err)}`, err);
    }
    if (epoch !== this.#epoch) throw apiError(ERROR_OTHER, 'join() - cannot join conversation');
    let entered: { mode?: string; meshOnly?: boolean } | undefined = data;
    // A guest of a moderated conversation is outside it until a moderator decides (rejects 14 / 15);
    // WAITING before the moderation events, which apps read the status in.
    if (data?.moderation?.waiting === true) this.status = CONVERSATION_STATUS_WAITING;
    const decision = this.moderation.started(data?.moderation);
    if (decision) {
      entered = await decision;
      if (epoch !== this.#epoch) throw apiError(ERROR_OTHER, 'join() - cannot join conversation');
      this.status = CONVERSATION_STATUS_JOINING;
    }
    const mode = entered?.mode === 'mesh' ? 'mesh' : 'sfu';
    const meshOnly = Boolean(entered?.meshOnly);
    this.#media.start(mode, meshOnly);
    this.status = CONVERSATION_STATUS_JOINED;
    this.#quality.start();
    if (!silent) this.#scope.emit('joined');
    // Members already present are announced after join() resolved (docs/sdk-reference.md#join-publish-and-subscribe-order, step 2).
    setTimeout(() => {
      if (epoch === this.#epoch) for (const id of this.#ctx.members(this.#name)) this.#memberJoined(id);
    }, 0);
    if (mode === 'mesh') return meshOnly ? { mode: 'mesh', meshOnly: true } : { mode: 'mesh' };
    return {};
  }

  #joinRequest(): Promise<ConvJoinResult | undefined> {
    return this.#ctx.request({
      type: 'conv.join',
      conversation: this.#name,
      meshModeEnabled: Boolean(this.#options.meshModeEnabled),
      meshOnlyEnabled: Boolean(this.#options.meshOnlyEnabled),
      moderationEnabled: Boolean(this.#options.moderationEnabled),
      moderator: Boolean(this.#options.moderator),
    });
  }

  /**
   * Re-registered while waiting for a moderator: the new session is in no waiting room, so it
   * asks again; the pending join() goes on with the answer (waits, or enters at once).
   */
  async #waitAgain(): Promise<void> {
    const epoch = this.#epoch;
    try {
      const data = await this.#joinRequest();
      if (epoch === this.#epoch) this.moderation.resumeWait(data);
    } catch (err) {
      if (epoch !== this.#epoch) return;
      this.#epoch++;
      this.status = CONVERSATION_STATUS_NOT_JOINED;
      this.moderation.reset();
      log.error(`waiting again in conversation ${this.#name} failed`, err);
    }
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
    this.#scope.emit('left');
  }

  /** Local end of everything (leave, session end). */
  #teardown(from: 'local' | 'remote', reason: string): void {
    this.#epoch++;
    this.#quality.close();
    for (const sub of this.#subs.all()) this.#subs.end(sub.streamId, from, reason, false);
    for (const pub of this.#pubs.all()) this.#pubs.drop(pub);
    this.#media.close();
    this.#streams.clear();
    this.#members.clear();
    this.recording.reset();
    this.status = CONVERSATION_STATUS_NOT_JOINED;
  }

  /** The session ended (disconnect / unregister): everything stops without requests. */
  sessionEnded(): void {
    this.moderation.reset();
    if (this.status === CONVERSATION_STATUS_NOT_JOINED) return;
    const wasJoined = this.joined;
    this.#teardown('local', 'disconnected');
    if (wasJoined) this.#scope.emit('left');
  }

  /**
   * The server had dropped the session (re-registration): joins again, publishes the local streams
   * again and renews the subscriptions (`streamRemoved` then `streamAdded`).
   */
  async rejoin(): Promise<void> {
    if (this.status === CONVERSATION_STATUS_WAITING) return this.#waitAgain();
    if (!this.joined) return;
    const pubs = this.#pubs.all().map((p) => ({ stream: p.stream, kinds: p.media.kinds, remoteUnmute: p.remoteUnmute }));
    const subs = this.#subs.all().map((s) => ({ streamId: s.streamId, kinds: s.kinds }));
    const known = this.#streams.snapshot();
    this.#teardown('local', 'reconnection');
    this.#streams.beginResync(known);
    try {
      await this.join(true);
    } catch (err) {
      log.error(`re-joining conversation ${this.#name} failed`, err);
      this.#scope.emit('left');
      return;
    }
    for (const p of pubs) {
      await this.publish(p.stream, { audioOnly: !p.kinds.video, videoOnly: !p.kinds.audio, remoteUnmuteEnabled: p.remoteUnmute }).catch((err: unknown) =>
        log.error('re-publishing failed', err),
      );
    }
    // The publishers' streams are announced again (conv.stream added) right after the join; the
    // ones that were not are gone.
    await new Promise((r) => setTimeout(r, REJOIN_SETTLE_MS));
    for (const d of this.#streams.endResync()) {
      if (this.#streams.has(d.streamId) || !this.joined) continue;
      this.#scope.emit('streamListChanged', this.#streams.info(d, 'removed'));
    }
    for (const s of subs) {
      await this.subscribe(s.streamId, { audioOnly: !s.kinds.video, videoOnly: !s.kinds.audio }).catch((err: unknown) =>
        log.warn('re-subscribing failed', err),
      );
    }
  }

  /** Presence of the conversation's group changed. */
  onPresence(joined: string[], left: string[]): void {
    if (!this.joined) return;
    for (const id of joined) this.#memberJoined(id);
    for (const id of left) {
      if (!this.#members.delete(id)) continue;
      this.#media.handlePeerLeft(id);
      this.#scope.emit('contactLeft', this.#ctx.contact(id));
    }
  }

  #memberJoined(id: string): void {
    if (id === this.#ctx.selfId() || this.#members.has(id)) return;
    this.#members.add(id);
    this.#scope.emit('contactJoined', this.#ctx.contact(id));
  }

  contacts(): { [id: string]: Contact } {
    const out: { [id: string]: Contact } = {};
    for (const id of this.#members) out[id] = this.#ctx.contact(id);
    return out;
  }

  // ---- streams, publications, subscriptions (delegated) ----------------------------------------

  streamList(): StreamInfo[] {
    return this.#streams.list();
  }

  streamInfo(id: unknown): StreamInfo | undefined {
    return this.#streams.infoOf(id);
  }

  isPublished(stream: unknown): boolean {
    return this.#pubs.of(stream)?.ready === true;
  }

  call(stream: unknown): ConversationCall | null {
    const pub = this.#pubs.of(stream);
    return pub?.ready ? pub.call : null;
  }

  publish(stream: unknown, opts: PublishOptions = {}): Promise<Stream> {
    return this.#pubs.publish(stream, opts);
  }

  unpublish(stream: unknown): void {
    this.#pubs.unpublish(stream);
  }

  replace(oldStream: unknown, newStream: unknown): Promise<Stream> {
    return this.#pubs.replace(oldStream, newStream);
  }

  subscribed(id: unknown): Stream | undefined {
    return this.#subs.stream(id);
  }

  subscribe(id: unknown, opts: { audioOnly?: boolean; videoOnly?: boolean } = {}): Promise<Stream> {
    return this.#subs.subscribe(id, opts);
  }

  unsubscribe(id: unknown): void {
    this.#subs.unsubscribe(id);
  }

  /**
   * apiRTC `updateSubscribedStream`: caps the simulcast quality the SFU forwards for a stream
   * subscribed to (`opts.simulcast.streamQuality`: 'high' | 'medium' | 'low'; anything else
   * becomes 'high', apiRTC's "default"). Frame-rate choices are accepted and ignored: the
   * layers differ in resolution and bitrate only.
   */
  async updateSubscribedStream(id: unknown, opts: { simulcast?: { streamQuality?: unknown } } = {}): Promise<void> {
    if (!this.joined) throw apiError(ERROR_OTHER, 'updateSubscribedStream() - conversation not joined');
    const streamId = toStreamId(id);
    if (!this.#subs.all().some((s) => s.streamId === streamId)) throw apiError(ERROR_OTHER, 'updateSubscribedStream() - no such subscription');
    const q = opts.simulcast?.streamQuality;
    const quality = q === 'low' || q === 'medium' ? q : 'high';
    if (this.#media.mode !== 'sfu') return; // mesh sends one quality per pair connection
    await this.#ctx.request({ type: 'conv.updateSubscription', conversation: this.#name, streamId, quality });
  }

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
    if (this.moderation.handle(e) || !this.joined) return;
    this.#router.route(e);
  }
}
