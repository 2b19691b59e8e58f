import { type ConvJoinResult, type ConversationRequests, ErrorCode, ParleyError, type RequestOf } from '@parley/protocol';
import type { Logger } from '../logging/logger.js';
import type { MediaPeer as Peer, MediaRoom as Room, MediaPlane as Sfu } from '../media/MediaApi.js';
import type { PresenceService } from '../presence/PresenceService.js';
import type { UserSession } from '../session/UserSession.js';
import { Reply } from '../session/Reply.js';
import type { HandlerTable } from '../session/RequestHandler.js';
import { Conversation, type ConversationOwner, type ConversationSettings } from './Conversation.js';
import { ConversationTraffic } from './ConversationTraffic.js';
import { GroupChat } from './GroupChat.js';
import { MediaStats, type SfuStats } from './MediaStats.js';
import { Moderation, type ModeratorRule } from './moderation/Moderation.js';
import { ModerationGate, type ModerationRequestType } from './moderation/ModerationGate.js';
import type { Participant } from './Participant.js';
import { RelayTable } from './RelayTable.js';
import { SessionQuotas, type SessionQuotaLimits } from './SessionQuotas.js';

/** Types of the requests this service handles: every one in the protocol's `ConversationRequests`. */
export type ConversationRequestType = (typeof ConversationRequests)[number]['shape']['type']['value'];

/** Dependencies of {@link ConversationService}. */
export interface ConversationServiceDeps {
  presence: PresenceService;
  sfu: Sfu;
  settings: ConversationSettings;
  /** Time a publisher has to answer a `conv.relayRequest`, ms. */
  relayTimeoutMs: number;
  /** Per-session limits (see SessionQuotas). */
  limits: SessionQuotaLimits;
  /** Who may be moderator in the moderated conversations of an API key (docs/operations.md). */
  moderatorRule?: (apiKey: string) => ModeratorRule;
  /** Chat history: stores each accepted `conv.message` and gives its uuid (counter when absent or disabled). */
  chatLog?: ConversationChatLog;
  log: Logger;
}

/** Where accepted conversation messages are recorded (history/HistoryService). */
export interface ConversationChatLog {
  /** @returns the message's uuid, undefined when not recorded; @throws ParleyError 17 when storing failed */
  conversationMessage(session: UserSession, name: string, content: string, metadata?: Record<string, unknown>): number | undefined;
}

/**
 * Conversations of every tenant, by name: created on first join, closed when empty. Runs the
 * conversation requests (see docs/protocol.md § Conversations) and makes sessions that end
 * leave their conversations. Each conversation has a membership group in the presence
 * service's conversation namespace, joined and left only here together with the conversation,
 * so the participants learn about each other through presence events and nobody receives a
 * conversation's traffic without being visible in it.
 */
export class ConversationService implements ConversationOwner {
  readonly #deps: ConversationServiceDeps;
  readonly #tenants = new Map<string, Map<string, Conversation>>();
  /** Conversations each session is in (for session end). */
  readonly #memberships = new Map<UserSession, Set<Conversation>>();
  readonly #relays: RelayTable<UserSession>;
  readonly #media: MediaStats;
  readonly #quotas: SessionQuotas;
  readonly #gate: ModerationGate;
  /** The participant-to-participant requests (signalling, chat, relay). */
  readonly #traffic: ConversationTraffic;
  readonly #chat = new GroupChat();
  readonly #joinHooks: ((session: UserSession, conversation: Conversation) => void)[] = [];
  #rooms = 0;
  /** The conversation of each media room (for a room lost with its media worker). */
  readonly #roomOwners = new WeakMap<Room, Conversation>();
  /** Waiting for the last conversation to close (drain). */
  readonly #emptyWaiters: (() => void)[] = [];
  #draining = false;
  #closed = false;

  constructor(deps: ConversationServiceDeps) {
    this.#deps = deps;
    this.#relays = new RelayTable(deps.relayTimeoutMs);
    this.#media = new MediaStats(deps.sfu);
    this.#quotas = new SessionQuotas(deps.limits);
    this.#gate = new ModerationGate({
      log: deps.log,
      context: (session, request) => this.#context(session, request),
      enter: (session, conversation) => this.#enter(session, conversation),
      leave: (session, conversation) => this.#leave(session, conversation),
      addMembership: (session, conversation) => this.#addMembership(session, conversation),
      dropMembership: (session, conversation) => this.#memberships.get(session)?.delete(conversation),
    });
    this.#traffic = new ConversationTraffic({
      context: (session, request) => this.#context(session, request),
      checkOpen: () => this.#checkOpen(),
      quotas: this.#quotas,
      relays: this.#relays,
      chatLog: deps.chatLog,
      chat: this.#chat,
      conversation: (apiKey, name) => this.get(apiKey, name),
      log: deps.log,
    });
  }

  /** @internal {@link ConversationOwner} */
  get log(): Logger {
    return this.#deps.log;
  }

  /** Open conversations, all tenants. */
  get conversationCount(): number {
    let n = 0;
    for (const conversations of this.#tenants.values()) n += conversations.size;
    return n;
  }

  /** Every live conversation, as its API key and name (cluster: leases of the conversations placed here). */
  *names(): Generator<{ apiKey: string; name: string }> {
    for (const [apiKey, conversations] of this.#tenants) for (const name of conversations.keys()) yield { apiKey, name };
  }

  /** The conversation `name` of `apiKey`, if open. */
  get(apiKey: string, name: string): Conversation | undefined {
    return this.#tenants.get(apiKey)?.get(name);
  }

  /** Media counters for `GET /api/v1/stats`. */
  sfuStats(): SfuStats {
    return this.#media.snapshot();
  }

  /**
   * Handlers of the conversation requests (see docs/protocol.md § Conversations). Those naming
   * a conversation need the session to be in it (16 otherwise); all fail with 3 once closed.
   */
  readonly handlers: HandlerTable<ConversationRequestType | ModerationRequestType> = {
    'conv.join': (session, request) => this.#join(session, request),
    'conv.relayAnswer': (session, request) => this.#traffic.answerRelay(session, request),
    'conv.joinGroupChat': (session, request) => {
      this.#checkOpen();
      const conversation = this.get(session.apiKey, request.conversation);
      if (!this.#chat.isMember(session, request.conversation, conversation)) this.#quotas.checkJoin(this.#joinedCount(session));
      this.#chat.join(session, request.conversation, conversation);
    },
    'conv.leaveGroupChat': (session, request) => {
      this.#checkOpen();
      if (!this.#chat.leave(session, request.conversation)) throw new ParleyError(ErrorCode.WRONG_STATE, 'group chat not joined');
    },
    'conv.leave': (session, request) => {
      // A waiting guest leaves the waiting room (apiRTC cancelJoin); a participant the conversation.
      const waitingIn = this.get(session.apiKey, request.conversation);
      if (waitingIn && this.#gate.stopWaiting(session, waitingIn)) return;
      this.#leave(session, this.#context(session, request).conversation);
    },
    // Looked up at call time: the gate and the traffic are built in the constructor, after this field.
    'conv.allowEntry': (session, request) => this.#gate.handlers['conv.allowEntry'](session, request),
    'conv.denyEntry': (session, request) => this.#gate.handlers['conv.denyEntry'](session, request),
    'conv.eject': (session, request) => this.#gate.handlers['conv.eject'](session, request),
    'conv.publish': (session, request) => {
      const { conversation, participant } = this.#context(session, request);
      const { type: _t, id: _i, conversation: _c, ...init } = request;
      return { callId: conversation.publish(participant, init).callId };
    },
    'conv.unpublish': (session, request) => {
      const { conversation, participant } = this.#context(session, request);
      conversation.unpublish(participant, request.streamId);
    },
    'conv.updateStream': (session, request) => {
      const { conversation, participant } = this.#context(session, request);
      const { hasAudio, hasVideo, isAudioMuted, isVideoMuted } = request;
      conversation.update(participant, request.streamId, { hasAudio, hasVideo, isAudioMuted, isVideoMuted });
    },
    'conv.subscribe': (session, request) => {
      const { conversation, participant } = this.#context(session, request);
      conversation.subscribe(participant, request.streamId, { audio: request.audio, video: request.video });
    },
    'conv.unsubscribe': (session, request) => {
      const { conversation, participant } = this.#context(session, request);
      conversation.unsubscribe(participant, request.streamId);
    },
    'conv.updateSubscription': (session, request) => {
      const { conversation, participant } = this.#context(session, request);
      conversation.updateSubscription(participant, request.streamId, request.quality);
    },
    'media.publisherOffer': (session, request) => {
      const { conversation, participant } = this.#context(session, request);
      return conversation.publisherOffer(participant, request.sdp, request.simulcast);
    },
    'media.subscriberAnswer': (session, request) => {
      const { conversation, participant } = this.#context(session, request);
      conversation.mediaPeer(participant).handleSubscriberAnswer(request.sdp);
    },
    'media.candidate': (session, request) => {
      const { conversation, participant } = this.#context(session, request);
      conversation.mediaPeer(participant).addRemoteCandidate(request.transport, request.candidate, request.sdpMid);
    },
    'mesh.signal': (session, request) => this.#traffic.meshSignal(session, request),
    'conv.qualityReport': (session, request) => this.#traffic.qualityReport(session, request),
    'conv.message': (session, request) => this.#traffic.message(session, request),
    'conv.data': (session, request) => {
      const { conversation } = this.#context(session, request);
      conversation.broadcast({ type: 'conv.data', conversation: conversation.name, from: session.userId, content: request.content }, session);
    },
    'conv.customEvent': (session, request) => {
      const { conversation } = this.#context(session, request);
      conversation.broadcast(
        { type: 'conv.customEvent', conversation: conversation.name, from: session.userId, event: request.event, content: request.content },
        session,
      );
    },
    'conv.relay': (session, request) => this.#traffic.relay(session, request),
    'conv.constraintsChanged': (session, request) => this.#traffic.constraintsChanged(session, request),
    'conv.audioAmplitude': (session, request) => this.#traffic.audioAmplitude(session, request),
  };

  /** The conversation `request` names and the session's participant in it. @throws 16 when not joined, 3 once closed */
  contextOf(session: UserSession, request: { conversation: string }): { conversation: Conversation; participant: Participant } {
    return this.#context(session, request);
  }

  /** Whether `session` reads conversation `name` as a chat-only member (joinGroupChat). */
  isChatMember(session: UserSession, name: string): boolean {
    return this.#chat.isMember(session, name, this.get(session.apiKey, name));
  }

  /** Adds a hook run after each `conv.join` answer went out (recording tells late joiners). */
  onJoined(hook: (session: UserSession, conversation: Conversation) => void): void {
    this.#joinHooks.push(hook);
  }

  /** Makes `session` leave every conversation (session end). */
  leaveAll(session: UserSession): void {
    const conversations = this.#memberships.get(session);
    this.#relays.drop(session);
    this.#chat.dropSession(session);
    if (!conversations) return;
    for (const conversation of [...conversations]) {
      // The role is released only by the session holding it, not by an older one ending late.
      const holder = conversation.participants.get(session.userId);
      if (!holder || holder.session === session) conversation.moderation?.sessionEnded(session.userId);
      // Runs when a session ends (often from its expiry timer): one conversation failing to
      // let it go must not keep it in the others.
      try {
        this.#leave(session, conversation);
      } catch (error) {
        this.#deps.log.error({ err: error, userId: session.userId, conversation: conversation.name }, 'error while leaving a conversation');
      }
    }
    this.#memberships.delete(session);
  }

  /**
   * Drain (SIGTERM with `shutdown.drainSeconds`): conversations under way go on, a `conv.join`
   * that would create a new one is refused with code 3. Idempotent.
   */
  /** Whether {@link drain} was called: new conversations are refused here. */
  get draining(): boolean {
    return this.#draining;
  }

  drain(): void {
    this.#draining = true;
  }

  /** Resolves once no conversation is open (at once when none is). */
  whenEmpty(): Promise<void> {
    if (this.conversationCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.#emptyWaiters.push(resolve));
  }

  /** Shutdown: closes every conversation and the SFU without events. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#relays.close();
    for (const conversations of [...this.#tenants.values()]) for (const c of [...conversations.values()]) c.close();
    this.#tenants.clear();
    this.#memberships.clear();
    this.#chat.clear();
    this.#deps.sfu.close();
  }

  /** @internal {@link ConversationOwner} */
  createRoom(conversation: Conversation): Room {
    // Names are only unique per tenant; the media plane needs one namespace.
    const room = this.#deps.sfu.createRoom(`room-${++this.#rooms}`);
    this.#roomOwners.set(room, conversation);
    return room;
  }

  /**
   * The media worker holding `room` died: its conversation drops its media state and tells its
   * participants to publish and subscribe again (`conv.mediaRestart`); a new room is placed on
   * a running worker at the first media request.
   */
  mediaLost(room: Room): void {
    this.#roomOwners.get(room)?.mediaLost(room);
  }

  /** @internal {@link ConversationOwner} */
  peerClosing(peer: Peer): void {
    this.#media.retire(peer);
  }

  /**
   * @internal {@link ConversationOwner}: live peers are counted, not tracked, so a peer that
   * closed on its own (failed transport) frees its slot without anyone telling.
   */
  admitPeer(session: UserSession): void {
    let live = 0;
    for (const conversation of this.#memberships.get(session) ?? []) {
      const peer = conversation.participants.get(session.userId)?.peer;
      if (peer && !peer.closed) live++;
    }
    this.#quotas.admitPeer(session, live);
  }

  /** @internal {@link ConversationOwner} */
  conversationClosed(conversation: Conversation): void {
    const conversations = this.#tenants.get(conversation.apiKey);
    if (conversations?.get(conversation.name) !== conversation) return;
    conversations.delete(conversation.name);
    if (conversations.size === 0) this.#tenants.delete(conversation.apiKey);
    this.#deps.log.debug({ apiKey: conversation.apiKey, conversation: conversation.name }, 'conversation closed');
    if (this.#tenants.size === 0) for (const resolve of this.#emptyWaiters.splice(0)) resolve();
  }

  #join(session: UserSession, request: RequestOf<'conv.join'>): Reply<ConvJoinResult> {
    this.#checkOpen();
    const memberOf = this.#memberships.get(session);
    const existing = this.get(session.apiKey, request.conversation);
    if (!(existing && memberOf?.has(existing))) this.#quotas.checkJoin(this.#joinedCount(session));
    let conversations = this.#tenants.get(session.apiKey);
    if (!conversations) {
      conversations = new Map();
      this.#tenants.set(session.apiKey, conversations);
    }
    let conversation = conversations.get(request.conversation);
    const created = conversation === undefined;
    if (created && this.#draining) {
      if (conversations.size === 0) this.#tenants.delete(session.apiKey);
      throw new ParleyError(ErrorCode.SERVER_UNAVAILABLE, 'server draining: conversations under way go on, new ones are refused here');
    }
    conversation ??= new Conversation(this, session.apiKey, request.conversation, request.meshModeEnabled, request.meshOnlyEnabled, this.#deps.settings);
    if (created) {
      conversations.set(conversation.name, conversation);
      // Decided by the creator, like the mode; a client without the option cannot walk in later.
      if (request.moderationEnabled) conversation.moderation = new Moderation(this.#deps.moderatorRule?.(session.apiKey) ?? 'first');
    }
    const moderation = conversation.moderation;
    const already = conversation.participants.get(session.userId)?.session === session;
    if (!moderation || already) {
      const entered = this.#enterOrClose(session, conversation, created);
      if (moderation) entered.result.moderation = { role: moderation.isModerator(session.userId) ? 'moderator' : 'guest', waiting: false };
      return new Reply(entered.result, entered.after);
    }
    const grant = session.moderatorGrant;
    const granted = grant === true || (Array.isArray(grant) && grant.includes(conversation.name));
    const role = moderation.roleFor({ userId: session.userId, wantsModerator: request.moderator, granted });
    if (role !== 'moderator') return this.#gate.wait(session, conversation, moderation);
    this.#gate.promoted(session, conversation, moderation);
    const entered = this.#enterOrClose(session, conversation, created);
    entered.result.moderation = { role, waiting: false };
    const gate = this.#gate;
    const target = conversation;
    return new Reply(entered.result, () => {
      entered.after();
      gate.moderatorEntered(session, target, moderation);
    });
  }

  #enterOrClose(session: UserSession, conversation: Conversation, created: boolean): { result: ConvJoinResult; after: () => void } {
    try {
      return this.#enter(session, conversation);
    } catch (error) {
      if (created) conversation.close();
      throw error;
    }
  }

  /**
   * Makes `session` a participant of `conversation` (idempotent). Returns the join result and
   * what must follow its answer: the streams already published, as `conv.stream` events.
   * @throws ParleyError when the conversation refuses it (mesh-only room full)
   */
  #enter(session: UserSession, conversation: Conversation): { result: ConvJoinResult; after: () => void } {
    const already = conversation.participants.get(session.userId)?.session === session;
    conversation.join(session);
    this.#addMembership(session, conversation);
    this.#deps.presence.joinConversation(session, conversation.name);
    // Snapshot now: streams published after this point reach the joiner as ordinary events.
    const streams = already ? [] : conversation.streams();
    const name = conversation.name;
    const result: ConvJoinResult = { mode: conversation.mode, meshOnly: conversation.meshOnly };
    return {
      result,
      after: () => {
        for (const stream of streams) session.send({ type: 'conv.stream', conversation: name, change: 'added', stream });
        for (const hook of this.#joinHooks) hook(session, conversation);
      },
    };
  }

  #addMembership(session: UserSession, conversation: Conversation): void {
    let memberships = this.#memberships.get(session);
    if (!memberships) {
      memberships = new Set();
      this.#memberships.set(session, memberships);
    }
    memberships.add(conversation);
  }

  #leave(session: UserSession, conversation: Conversation): void {
    if (this.#gate.stopWaiting(session, conversation)) return;
    this.#relays.drop(session, conversation);
    const participant = conversation.participants.get(session.userId);
    if (participant?.session === session) conversation.leave(participant);
    this.#memberships.get(session)?.delete(conversation);
    this.#deps.presence.leaveConversation(session, conversation.name);
  }

  /** The conversation `request` names and the session's participant in it. */
  #context(session: UserSession, request: { conversation: string }): { conversation: Conversation; participant: Participant } {
    this.#checkOpen();
    const conversation = this.get(session.apiKey, request.conversation);
    if (!conversation) throw new ParleyError(ErrorCode.WRONG_STATE, 'conversation not joined');
    return { conversation, participant: conversation.participantOf(session) };
  }

  #checkOpen(): void {
    if (this.#closed) throw new ParleyError(ErrorCode.SERVER_UNAVAILABLE, 'server shutting down');
  }

  /** Conversations and chats `session` holds, for the per-session quota. */
  #joinedCount(session: UserSession): number {
    return (this.#memberships.get(session)?.size ?? 0) + this.#chat.countOf(session);
  }
}
