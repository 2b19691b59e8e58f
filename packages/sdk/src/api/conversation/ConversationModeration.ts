import type { ContactInfo, ConversationMode, JoinModeration } from '@parley/protocol';
import { ERROR_BAD_PARAMETER, ERROR_NOT_ALLOWED, ERROR_OPERATION_CANCELED, ERROR_OTHER, ERROR_UNAUTHORIZED } from '../../constants.js';
import { type ApiRTCError, apiError } from '../../util/errors.js';
import { log } from '../../util/Logger.js';
import { Contact } from '../Contact.js';
import { SET_AUTHENTICATED } from '../internal.js';
import { replaceUserData } from '../UserData.js';
import type { ConversationScope, ConversationServerEvent } from './context.js';

/** apiRTC's `eject()` timeout (CONVERSATION_PARTICIPANT_EJECTION_DELAY). */
const EJECTION_TIMEOUT_MS = 5_000;

/** What the moderator's decision gives a waiting guest: the conversation it now is in. */
export interface Entry {
  mode: ConversationMode;
  meshOnly: boolean;
}

/** What moderation needs from the joined conversation. */
export interface ModerationHooks {
  /** The server ejected the local user: end everything locally (no request) and emit `left`. */
  ejected(): void;
  /** The guest stopped waiting (cancelJoin): the conversation is not joined any more. */
  stoppedWaiting(): void;
}

/**
 * The moderation side of one conversation (docs/sdk.md § Moderation): the local role, the
 * waiting room as a moderator sees it, the wait of a guest for the moderator's decision, and the
 * moderator's actions (allowEntry / denyEntry / eject). The server enforces every rule; the
 * checks here only give apiRTC's errors without a round trip.
 */
export class ConversationModeration {
  readonly #scope: ConversationScope;
  readonly #hooks: ModerationHooks;
  readonly #waitingRoom = new Map<string, Contact>();
  #role: string | null = null;
  #moderator: Contact | null = null;
  #wait: { resolve(entry: Entry): void; reject(reason: unknown): void } | null = null;

  constructor(scope: ConversationScope, hooks: ModerationHooks) {
    this.#scope = scope;
    this.#hooks = hooks;
  }

  get role(): string | null {
    return this.#role;
  }

  get moderator(): Contact | null {
    return this.#moderator;
  }

  get waiting(): boolean {
    return this.#wait !== null;
  }

  /**
   * Reads the moderation part of a join answer. For a guest, returns the wait for the
   * moderator's decision (rejects 14 when denied, 15 when cancelled).
   */
  started(answer: JoinModeration | undefined): Promise<Entry> | null {
    this.#waitingRoom.clear();
    if (!answer) {
      this.#role = null;
      return null;
    }
    this.#role = answer.role;
    if (answer.moderator) this.#moderator = this.#contact(answer.moderator);
    if (!answer.waiting) return null;
    const entry = new Promise<Entry>((resolve, rejectEntry) => {
      this.#wait = { resolve, reject: rejectEntry };
    });
    if (this.#moderator) this.#scope.emit('waitingForModeratorAcceptance', this.#moderator);
    return entry;
  }

  /** Handles a moderation event; false for the other conversation events. */
  handle(e: ConversationServerEvent): boolean {
    switch (e.type) {
      case 'conv.waitingRoom':
        this.#onWaitingRoom(e.change, e.contact);
        return true;
      case 'conv.moderator':
        this.#moderator = this.#contact(e.moderator);
        if (this.#wait) this.#scope.emit('moderatorConnected', this.#moderator);
        return true;
      case 'conv.entry':
        this.#onEntry(e.decision, e.mode ?? 'sfu', e.meshOnly ?? false);
        return true;
      case 'conv.ejected':
        this.#onEjected(e.userId, e.reason);
        return true;
      default:
        return false;
    }
  }

  /** apiRTC `cancelJoin()`: stops waiting; `join()` rejects 15. */
  cancelJoin(): boolean {
    const wait = this.#wait;
    if (!wait) return false;
    this.#wait = null;
    this.#hooks.stoppedWaiting();
    void this.#scope.ctx
      .request({ type: 'conv.leave', conversation: this.#scope.name })
      .catch((err: unknown) => log.warn('cancelJoin: conv.leave failed', err));
    wait.reject(apiError(ERROR_OPERATION_CANCELED, 'Operation canceled'));
    return true;
  }

  /** The answer to a `conv.join` sent again while waiting (re-registration): wait on, or enter. */
  resumeWait(answer: { mode: ConversationMode; meshOnly: boolean; moderation?: JoinModeration } | undefined): void {
    const wait = this.#wait;
    if (!wait || !answer) return;
    if (answer.moderation) this.#role = answer.moderation.role;
    if (answer.moderation?.waiting === true) return;
    this.#wait = null;
    wait.resolve({ mode: answer.mode, meshOnly: answer.meshOnly });
  }

  /** The session ended or the conversation was left: a pending wait fails. */
  reset(): void {
    const wait = this.#wait;
    this.#wait = null;
    this.#waitingRoom.clear();
    wait?.reject(apiError(ERROR_OTHER, 'join() - cannot join conversation'));
  }

  waitingRoomContacts(): { [id: string]: Contact } {
    if (!this.#scope.joined() || this.#role !== 'moderator') {
      log.error('getWaitingRoomContacts() - only a joined moderator has a waiting room');
      return {};
    }
    return Object.fromEntries(this.#waitingRoom);
  }

  allowEntry(contact: unknown, ack = false): Promise<void> {
    return this.#decide('allowEntry', ack, contact, 'allow entry to a contact', (userId) => ({
      type: 'conv.allowEntry',
      conversation: this.#scope.name,
      userId,
    }));
  }

  denyEntry(contact: unknown, opts: { reason?: unknown; ackEnabled?: unknown } = {}): Promise<void> {
    const reason = typeof opts.reason === 'string' ? { reason: opts.reason } : {};
    return this.#decide('denyEntry', opts.ackEnabled === true, contact, 'deny entry to a contact', (userId) => ({
      type: 'conv.denyEntry',
      conversation: this.#scope.name,
      userId,
      ...reason,
    }));
  }

  /** Resolves when the server confirms the ejection; rejects 0 `eject() - timeout` after 5 s. */
  async eject(contact: unknown, opts: { reason?: unknown } = {}): Promise<void> {
    if (!this.#scope.joined()) throw apiError(ERROR_OTHER, 'eject() - conference not joined');
    if (!(contact instanceof Contact)) throw apiError(ERROR_BAD_PARAMETER, 'eject() - parameter is not an instance of apiRTC.Contact');
    if (this.#role !== 'moderator') throw apiError(ERROR_UNAUTHORIZED, 'eject() - only moderator can eject a contact');
    const reason = typeof opts.reason === 'string' ? { reason: opts.reason } : {};
    try {
      await this.#scope.ctx.request(
        { type: 'conv.eject', conversation: this.#scope.name, userId: contact.getId(), ...reason },
        { timeoutMs: EJECTION_TIMEOUT_MS },
      );
    } catch (err) {
      throw this.#failure('eject', 'eject a contact', err);
    }
  }

  async #decide(
    method: 'allowEntry' | 'denyEntry',
    ack: boolean,
    contact: unknown,
    what: string,
    body: (userId: string) => Parameters<ConversationScope['ctx']['request']>[0],
  ): Promise<void> {
    if (!this.#scope.joined()) throw apiError(ERROR_OTHER, `${method}() - conference not joined`);
    if (!(contact instanceof Contact)) throw apiError(ERROR_BAD_PARAMETER, `${method}() - parameter is not an instance of apiRTC.Contact`);
    if (this.#role !== 'moderator') throw apiError(ERROR_UNAUTHORIZED, `${method}() - only moderator can ${what}`);
    try {
      await this.#scope.ctx.request(body(contact.getId()));
    } catch (err) {
      const error = this.#failure(method, what, err);
      // With ackEnabled apiRTC reports an answer that never reached the guest as an event; Parley's
      // answers go through the server, so "not delivered" means the server did not take it.
      if (ack) this.#scope.emit('messageNotDelivered', { error, contact, command: method });
      throw error;
    }
  }

  #failure(method: string, what: string, err: unknown): ApiRTCError {
    const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number' ? err.code : ERROR_OTHER;
    if (code === ERROR_UNAUTHORIZED) return apiError(code, `${method}() - only moderator can ${what}`, err);
    if ((err as { kind?: unknown }).kind === 'timeout') return apiError(ERROR_OTHER, `${method}() - timeout`, err);
    const message = err instanceof Error ? err.message : String(err);
    return apiError(code, `${method}() - ${message}`, err);
  }

  #onWaitingRoom(change: 'joined' | 'left', info: ContactInfo): void {
    const contact = this.#contact(info);
    if (change === 'joined') {
      if (this.#waitingRoom.has(info.id)) return;
      this.#waitingRoom.set(info.id, contact);
      this.#scope.emit('contactJoinedWaitingRoom', contact);
    } else if (this.#waitingRoom.delete(info.id)) {
      this.#scope.emit('contactLeftWaitingRoom', contact);
    }
  }

  #onEntry(decision: 'allowed' | 'denied', mode: ConversationMode, meshOnly: boolean): void {
    const wait = this.#wait;
    if (!wait) return;
    this.#wait = null;
    if (decision === 'allowed') {
      this.#scope.emit('entryAllowed');
      wait.resolve({ mode, meshOnly });
      return;
    }
    this.#hooks.stoppedWaiting();
    this.#scope.emit('entryDenied');
    wait.reject(apiError(ERROR_NOT_ALLOWED, 'You were not allowed to join the conversation'));
  }

  #onEjected(userId: string, reason: string | undefined): void {
    if (userId === this.#scope.ctx.selfId()) {
      if (!this.#scope.joined()) return;
      // apiRTC: the ejected client leaves first, then tells the app.
      this.#hooks.ejected();
      this.#scope.emit('participantEjected', reason !== undefined ? { self: true, reason } : { self: true });
      return;
    }
    this.#scope.emit('participantEjected', { self: false, contact: this.#scope.ctx.contact(userId) });
  }

  /** The session's Contact for `info`, its user data as the server reported it. */
  #contact(info: ContactInfo): Contact {
    const contact = this.#scope.ctx.contact(info.id);
    replaceUserData(contact.getUserData(), info.userData);
    contact[SET_AUTHENTICATED](info.authenticated === true);
    return contact;
  }
}
