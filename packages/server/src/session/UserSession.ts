import type { UnsequencedEvent } from '@parley/protocol';
import type { Group } from '../presence/Group.js';
import { AnswerCache } from './AnswerCache.js';
import { ReplayBuffer, tailOf, wireOf } from './ReplayBuffer.js';
import type { SessionTransport } from './SessionTransport.js';

/** Sizes of the per-session buffers. */
export interface SessionBufferLimits {
  replayEvents: number;
  replayChars: number;
  answerCache: number;
}

/** Constructor arguments of {@link UserSession}. */
export interface UserSessionInit {
  apiKey: string;
  userId: string;
  identified: boolean;
  /** Moderator grant of the user's token (see Identity); default none. */
  moderatorGrant?: boolean | readonly string[];
  resumeToken: string;
  /** `{"id":…,"userData":…}` as published to other users. */
  contactJson: string;
  limits: SessionBufferLimits;
}

/**
 * A registered user. Outlives its socket: when the socket drops the session stays present for
 * the resume window, keeps the events addressed to it and is reattached by `resume`.
 *
 * Kept lean on purpose (the server aims at tens of thousands of idle sessions per GiB): user
 * data is kept only as the JSON other users receive, group sets and the answer cache are
 * created on first use, and the replay buffer grows with the events actually sent.
 */
export class UserSession {
  readonly apiKey: string;
  readonly userId: string;
  /** True when registered with a token (identified user). */
  readonly identified: boolean;
  /** Where the user's token grants the moderator role: everywhere, those conversations, nowhere. */
  readonly moderatorGrant: boolean | readonly string[];
  /** Secret the client presents to resume this session; replaced at every resume (see SessionRegistry.rotateToken). */
  resumeToken: string;
  /** Groups the user joined (visible and watching); owned by PresenceService. */
  joined: Set<Group> | null = null;
  /** Groups the user subscribed to (watching only); owned by PresenceService. */
  subscribed: Set<Group> | null = null;

  #contactJson: string;
  readonly #replay: ReplayBuffer;
  #answers: AnswerCache | null = null;
  readonly #answerCapacity: number;
  #transport: SessionTransport | null = null;
  #expiry: NodeJS.Timeout | null = null;
  #ended = false;

  constructor(init: UserSessionInit) {
    this.apiKey = init.apiKey;
    this.userId = init.userId;
    this.identified = init.identified;
    this.moderatorGrant = init.moderatorGrant ?? false;
    this.resumeToken = init.resumeToken;
    this.#contactJson = init.contactJson;
    this.#replay = new ReplayBuffer(init.limits.replayEvents, init.limits.replayChars);
    this.#answerCapacity = init.limits.answerCache;
  }

  /** The user as other users see it: `{"id":…,"userData":…}`. */
  get contactJson(): string {
    return this.#contactJson;
  }

  /** Replaces the published contact JSON (after `userData.set`). */
  setContactJson(json: string): void {
    this.#contactJson = json;
  }

  /** Seq of the last event sent to this session (0 before any). */
  get lastSeq(): number {
    return this.#replay.lastSeq;
  }

  /** True while a socket is attached. */
  get attached(): boolean {
    return this.#transport !== null;
  }

  /** The attached socket, if any. */
  get transport(): SessionTransport | null {
    return this.#transport;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Sends an event: stamps the next seq, keeps it for replay and writes it when a socket is
   * attached.
   */
  send(event: UnsequencedEvent): void {
    this.sendTail(tailOf(JSON.stringify(event)));
  }

  /**
   * Sends an event given as its tail (JSON without `{` and without `seq`), see ReplayBuffer.
   * The fan-out paths build one tail for many sessions.
   */
  sendTail(tail: string): void {
    if (this.#ended) return;
    const seq = this.#replay.push(tail);
    this.#transport?.sendRaw(wireOf(seq, tail));
  }

  /**
   * The events a client that processed up to `lastSeq` missed, or null when they are no
   * longer all kept.
   */
  missedSince(lastSeq: number): string[] | null {
    return this.#replay.after(lastSeq);
  }

  /**
   * Attaches a socket and writes every kept event after `afterSeq` to it (resume replay).
   * Cancels the expiry timer.
   */
  attach(transport: SessionTransport, afterSeq: number): void {
    if (this.#ended) return;
    this.#clearExpiry();
    this.#transport = transport;
    const missed = this.#replay.after(afterSeq) ?? [];
    for (const text of missed) transport.sendRaw(text);
  }

  /**
   * Detaches `transport` if it is the attached one and arms the expiry timer: `onExpire` runs
   * after `windowMs` unless the session is resumed first.
   * @returns true when the session was detached.
   */
  detach(transport: SessionTransport, windowMs: number, onExpire: (session: UserSession) => void): boolean {
    if (this.#ended || this.#transport !== transport) return false;
    this.#transport = null;
    this.#clearExpiry();
    this.#expiry = setTimeout(() => onExpire(this), windowMs);
    this.#expiry.unref();
    return true;
  }

  /** The stored answer to request `id`, if it was answered recently. */
  answerFor(id: number): string | undefined {
    return this.#answers?.get(id);
  }

  /** Whether request `id` is running (started, not answered yet). */
  isInFlight(id: number): boolean {
    return this.#answers?.isInFlight(id) ?? false;
  }

  /** Records that request `id` runs asynchronously; {@link rememberAnswer} ends it. */
  beginRequest(id: number): void {
    if (this.#ended) return;
    this.#answers ??= new AnswerCache(this.#answerCapacity);
    this.#answers.begin(id);
  }

  /** Remembers the wire answer to request `id` for repeated ids after a resume. */
  rememberAnswer(id: number, answer: string): void {
    this.#answers ??= new AnswerCache(this.#answerCapacity);
    this.#answers.set(id, answer);
  }

  /**
   * Marks the session ended: no more events, buffers released, timer cleared. Returns the
   * socket that was attached so the caller can close it. Safe to call twice.
   */
  end(): SessionTransport | null {
    if (this.#ended) return null;
    this.#ended = true;
    this.#clearExpiry();
    this.#replay.clear();
    this.#answers = null;
    const transport = this.#transport;
    this.#transport = null;
    return transport;
  }

  #clearExpiry(): void {
    if (this.#expiry !== null) {
      clearTimeout(this.#expiry);
      this.#expiry = null;
    }
  }
}
