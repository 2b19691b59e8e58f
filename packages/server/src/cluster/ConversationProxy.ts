import { randomBytes } from 'node:crypto';
import { type ErrorCode as ErrorCodeType, ErrorCode, ParleyError, SessionRequest } from '@parley/protocol';
import type { ConversationService } from '../conversation/ConversationService.js';
import type { Logger } from '../logging/logger.js';
import type { PresenceService } from '../presence/PresenceService.js';
import { Reply } from '../session/Reply.js';
import type { UserSession } from '../session/UserSession.js';
import type { ClusterBus } from './ClusterBus.js';
import type { ClusterMessage } from './ClusterMessage.js';
import type { ConversationPlacement } from './ConversationPlacement.js';
import { ProxiedSession } from './ProxiedSession.js';

/** Requests that may create a conversation: they ask the placement where it lives. */
const PLACING = new Set(['conv.join', 'conv.joinGroupChat']);

/** A request about a conversation (every request with a top-level `conversation`). */
export type ConversationRequest = SessionRequest & { conversation: string };

/** Runs a request on this node, without proxying (RequestRouter.handleLocal). */
export type LocalRun = (session: UserSession, request: SessionRequest) => unknown;

interface Pending {
  owner: string;
  session: UserSession;
  request: ConversationRequest;
  resolve: (data: unknown) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * Conversations across nodes, by proxy: a conversation lives on one node (ConversationPlacement);
 * a participant connected to another node stays connected there, and that node (its home)
 * forwards its requests about the conversation to the owner over the bus and sends the owner's
 * events on to it. Media never takes this path: the owner's SDP carries the owner's ICE
 * candidates, so the browser sends RTP straight to the node whose SFU forwards it.
 *
 * Home side: {@link route} decides per request (open here → local; placed elsewhere → forward).
 * Owner side: `request` messages run through the local handlers for a {@link ProxiedSession}.
 */
export class ConversationProxy {
  readonly #bus: ClusterBus;
  readonly #placement: ConversationPlacement;
  readonly #conversations: ConversationService;
  readonly #presence: PresenceService;
  readonly #run: LocalRun;
  readonly #lost: (session: UserSession) => void;
  readonly #timeoutMs: number;
  readonly #log: Logger;
  // Home side.
  readonly #pids = new WeakMap<UserSession, string>();
  readonly #byPid = new Map<string, UserSession>();
  /** Conversations of each session placed on other nodes: name → owner. */
  readonly #remote = new Map<UserSession, Map<string, string>>();
  readonly #pending = new Map<number, Pending>();
  /** Events that arrived with an answer, held until that answer is written (it goes first). */
  readonly #held = new Map<UserSession, string[]>();
  #nextRid = 1;
  // Owner side: stand-ins by `home \0 pid`.
  readonly #standIns = new Map<string, ProxiedSession>();

  constructor(deps: {
    bus: ClusterBus;
    placement: ConversationPlacement;
    conversations: ConversationService;
    presence: PresenceService;
    run: LocalRun;
    /** A session of this node lost a conversation with its node: ends it so that the SDK registers and rejoins. */
    lost: (session: UserSession) => void;
    timeoutMs: number;
    log: Logger;
  }) {
    this.#lost = deps.lost;
    this.#bus = deps.bus;
    this.#placement = deps.placement;
    this.#conversations = deps.conversations;
    this.#presence = deps.presence;
    this.#run = deps.run;
    this.#timeoutMs = deps.timeoutMs;
    this.#log = deps.log;
  }

  /** Participants here whose session is on another node. */
  get proxiedParticipants(): number {
    return this.#standIns.size;
  }

  /**
   * Runs `request` where its conversation lives: `local` when it is open here (the single-node
   * path, synchronous), else forwarded to its node (an answer that waits for it).
   */
  route(session: UserSession, request: ConversationRequest, local: () => unknown): unknown {
    const name = request.conversation;
    if (this.#conversations.get(session.apiKey, name)) return local();
    if (!PLACING.has(request.type)) {
      const owner = this.#remote.get(session)?.get(name);
      return owner === undefined ? local() : this.#forward(owner, session, request);
    }
    return this.#placement.ownerOf(session.apiKey, name).then((owner) => (owner === this.#bus.nodeId ? local() : this.#forward(owner, session, request)));
  }

  /** A session of this node ended: the owners of its conversations drop its stand-ins. */
  sessionEnded(session: UserSession): void {
    const pid = this.#pids.get(session);
    const remote = this.#remote.get(session);
    this.#remote.delete(session);
    this.#held.delete(session);
    if (pid === undefined) return;
    this.#byPid.delete(pid);
    for (const owner of new Set(remote?.values())) this.#bus.send(owner, { t: 'ended', node: this.#bus.nodeId, pid });
  }

  /** Node `nodeId` is gone: requests waiting for it fail, and its stand-ins here leave. */
  nodeGone(nodeId: string): void {
    for (const [rid, pending] of this.#pending) {
      if (pending.owner !== nodeId) continue;
      this.#pending.delete(rid);
      clearTimeout(pending.timer);
      pending.reject(new ParleyError(ErrorCode.SERVER_UNAVAILABLE, 'the node of this conversation is gone'));
    }
    const lost: UserSession[] = [];
    for (const [session, conversations] of this.#remote) {
      for (const [name, owner] of conversations) {
        if (owner !== nodeId) continue;
        conversations.delete(name);
        if (!lost.includes(session)) lost.push(session);
      }
    }
    // Their conversation is gone with its node; the SDK's rejoin after registering again
    // recreates it on a live node (the lease of the dead one is taken over).
    for (const session of lost) this.#lost(session);
    for (const standIn of [...this.#standIns.values()]) if (standIn.home === nodeId) this.#endStandIn(standIn);
  }

  /** Handles the proxy's messages; others are ignored. */
  handle(message: ClusterMessage): void {
    switch (message.t) {
      case 'request':
        this.#serve(message);
        break;
      case 'response':
        this.#answered(message);
        break;
      case 'tail': {
        const session = this.#byPid.get(message.pid);
        if (!session) return;
        const held = this.#held.get(session);
        if (held) held.push(message.tail);
        else session.sendTail(message.tail);
        break;
      }
      case 'ended': {
        const standIn = this.#standIns.get(message.node + '\0' + message.pid);
        if (standIn) this.#endStandIn(standIn);
        break;
      }
      default:
        break;
    }
  }

  /** Fails what waits and ends every stand-in; safe to call twice. */
  close(): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new ParleyError(ErrorCode.SERVER_UNAVAILABLE, 'server shutting down'));
    }
    this.#pending.clear();
    for (const standIn of [...this.#standIns.values()]) this.#endStandIn(standIn);
  }

  // ---- home side ----

  #forward(owner: string, session: UserSession, request: ConversationRequest): Promise<unknown> {
    let pid = this.#pids.get(session);
    if (pid === undefined) {
      pid = randomBytes(12).toString('base64url');
      this.#pids.set(session, pid);
      this.#byPid.set(pid, session);
    }
    const rid = this.#nextRid++;
    const { nodeId } = this.#bus;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(rid);
        reject(new ParleyError(ErrorCode.TIMED_OUT, 'the node of this conversation did not answer'));
      }, this.#timeoutMs);
      timer.unref();
      this.#pending.set(rid, { owner, session, request, resolve, reject, timer });
      this.#bus.send(owner, {
        t: 'request',
        node: nodeId,
        rid,
        pid,
        apiKey: session.apiKey,
        userId: session.userId,
        contact: session.contactJson,
        identified: session.identified,
        moderatorGrant: typeof session.moderatorGrant === 'boolean' ? session.moderatorGrant : [...session.moderatorGrant],
        request,
      });
    });
  }

  #answered(message: Extract<ClusterMessage, { t: 'response' }>): void {
    const pending = this.#pending.get(message.rid);
    if (!pending || pending.owner !== message.node) return;
    this.#pending.delete(message.rid);
    clearTimeout(pending.timer);
    if (!message.ok) {
      pending.reject(new ParleyError((message.code ?? ErrorCode.OTHER) as ErrorCodeType, message.message ?? 'error'));
      return;
    }
    const { session, request } = pending;
    if (PLACING.has(request.type)) {
      let conversations = this.#remote.get(session);
      if (!conversations) {
        conversations = new Map();
        this.#remote.set(session, conversations);
      }
      conversations.set(request.conversation, message.node);
    }
    // The answer is written in a promise continuation; events the owner sent right after it
    // may be read from Redis in the same turn, so they wait for the next one.
    if (!this.#held.has(session)) {
      this.#held.set(session, []);
      setImmediate(() => {
        const held = this.#held.get(session);
        this.#held.delete(session);
        if (held) for (const tail of held) session.sendTail(tail);
      });
    }
    pending.resolve(message.data);
  }

  // ---- owner side ----

  #serve(message: Extract<ClusterMessage, { t: 'request' }>): void {
    const respond = (ok: boolean, payload: { data?: unknown; code?: number; message?: string }): void => {
      this.#bus.send(message.node, { t: 'response', node: this.#bus.nodeId, rid: message.rid, ok, ...payload });
    };
    const fail = (error: unknown): void => {
      if (error instanceof ParleyError) respond(false, { code: error.code, message: error.message });
      else {
        this.#log.error({ err: error, type: message.request.type }, 'proxied request failed');
        respond(false, { code: ErrorCode.OTHER, message: 'internal error' });
      }
    };
    const parsed = SessionRequest.safeParse(message.request);
    if (!parsed.success || !('conversation' in parsed.data)) {
      fail(new ParleyError(ErrorCode.BAD_PARAMETER, 'not a conversation request'));
      return;
    }
    const standIn = this.#standIn(message);
    if (standIn.apiKey !== message.apiKey || standIn.userId !== message.userId) {
      fail(new ParleyError(ErrorCode.UNAUTHORIZED, 'session mismatch'));
      return;
    }
    const settle = (result: unknown): void => {
      if (result instanceof Reply) {
        // The answer first, then the events that must follow it (same publisher: in order).
        respond(true, { data: result.data });
        try {
          result.after();
        } catch (error) {
          this.#log.error({ err: error }, 'unexpected error after a proxied answer');
        }
      } else respond(true, result === undefined ? {} : { data: result });
    };
    try {
      const result = this.#run(standIn, parsed.data);
      if (result instanceof Promise) result.then(settle, fail);
      else settle(result);
    } catch (error) {
      fail(error);
    }
  }

  #standIn(message: Extract<ClusterMessage, { t: 'request' }>): ProxiedSession {
    const key = message.node + '\0' + message.pid;
    let standIn = this.#standIns.get(key);
    if (!standIn) {
      const home = message.node;
      const pid = message.pid;
      standIn = new ProxiedSession(
        {
          apiKey: message.apiKey,
          userId: message.userId,
          identified: message.identified,
          moderatorGrant: message.moderatorGrant,
          contactJson: message.contact,
        },
        home,
        pid,
        (tail) => this.#bus.send(home, { t: 'tail', node: this.#bus.nodeId, pid, tail }),
      );
      this.#standIns.set(key, standIn);
    } else if (standIn.contactJson !== message.contact) {
      standIn.setContactJson(message.contact);
    }
    return standIn;
  }

  #endStandIn(standIn: ProxiedSession): void {
    this.#standIns.delete(standIn.home + '\0' + standIn.pid);
    try {
      this.#conversations.leaveAll(standIn);
      this.#presence.leaveAll(standIn);
    } catch (error) {
      this.#log.error({ err: error, userId: standIn.userId }, 'error while a proxied participant left');
    }
    standIn.end();
  }
}
