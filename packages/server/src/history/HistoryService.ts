import { ErrorCode, HISTORY_PAGE_DEFAULT, type HistoryResult, ParleyError, type RequestOf } from '@parley/protocol';
import type { Logger } from '../logging/logger.js';
import type { HandlerTable } from '../session/RequestHandler.js';
import type { UserSession } from '../session/UserSession.js';
import { MessageStore, type StoredMessageInit } from './MessageStore.js';

/** How often messages past the retention are deleted, ms. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** Dependencies of {@link HistoryService}. */
export interface HistoryServiceDeps {
  /** Where messages go; none when history is disabled (nothing stored, reads refused). */
  store: MessageStore | undefined;
  /**
   * Whether `session` may read the messages of conversation `name` (its participants may). Given
   * by the server so that this service needs no conversation internals.
   */
  mayRead(session: UserSession, name: string): boolean;
  log: Logger;
}

/** Types of the requests this service answers. */
export type HistoryRequestType = 'conv.history' | 'contact.history';

/**
 * Chat history: records the messages conversations and the contact relay accept (the id it
 * returns is the uuid their receivers get) and answers `conv.history` / `contact.history`. Only a
 * conversation's participants read its history; a 1-1 thread is read by its two parties, which is
 * what keying it by the requester's own id gives.
 */
export class HistoryService {
  readonly #deps: HistoryServiceDeps;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(deps: HistoryServiceDeps) {
    this.#deps = deps;
    if (!deps.store) return;
    this.#prune();
    this.#timer = setInterval(() => this.#prune(), PRUNE_INTERVAL_MS);
    this.#timer.unref();
  }

  readonly handlers: HandlerTable<HistoryRequestType> = {
    'conv.history': (session, request) => this.#conversationPage(session, request),
    'contact.history': (session, request) => this.#contactPage(session, request),
  };

  /**
   * Stores a message `session` sent to conversation `name`.
   * @returns its id (the uuid of the message), undefined when history is disabled
   * @throws ParleyError 17 when it could not be stored
   */
  conversationMessage(session: UserSession, name: string, content: string, metadata?: Record<string, unknown>): number | undefined {
    return this.#append(session, MessageStore.conversationThread(name), { content, ...(metadata !== undefined ? { metadata } : {}) });
  }

  /**
   * Stores a 1-1 message from `session` to user `to`.
   * @returns its id (the uuid of the message), undefined when history is disabled
   * @throws ParleyError 17 when it could not be stored
   */
  contactMessage(session: UserSession, to: string, content: string): number | undefined {
    return this.#append(session, MessageStore.contactThread(session.userId, to), { to, content });
  }

  /** Stops the hourly pruning; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
  }

  #append(session: UserSession, thread: string, message: Omit<StoredMessageInit, 'from' | 'time'>): number | undefined {
    const store = this.#deps.store;
    if (!store) return undefined;
    const displayName = displayNameOf(session);
    try {
      return store.append(session.apiKey, thread, {
        ...message,
        from: session.userId,
        time: Date.now(),
        ...(displayName !== undefined ? { displayName } : {}),
      });
    } catch (error) {
      this.#deps.log.error({ err: error, thread }, 'could not store a chat message');
      throw new ParleyError(ErrorCode.ON_SAVE, 'message could not be saved');
    }
  }

  #conversationPage(session: UserSession, request: RequestOf<'conv.history'>): HistoryResult {
    if (!this.#deps.mayRead(session, request.conversation)) {
      throw new ParleyError(ErrorCode.UNAUTHORIZED, 'not a participant of this conversation');
    }
    return this.#read(session, MessageStore.conversationThread(request.conversation), request);
  }

  #contactPage(session: UserSession, request: RequestOf<'contact.history'>): HistoryResult {
    if (request.contact === session.userId) throw new ParleyError(ErrorCode.BAD_PARAMETER, 'contact: is the requesting user');
    return this.#read(session, MessageStore.contactThread(session.userId, request.contact), request);
  }

  #read(
    session: UserSession,
    thread: string,
    request: { count?: number | undefined; before?: number | undefined; beforeTime?: number | undefined },
  ): HistoryResult {
    const store = this.#deps.store;
    if (!store) throw new ParleyError(ErrorCode.OTHER, 'chat history is disabled on this server');
    try {
      return store.page(session.apiKey, thread, {
        count: request.count ?? HISTORY_PAGE_DEFAULT,
        ...(request.before !== undefined ? { before: request.before } : {}),
        ...(request.beforeTime !== undefined ? { beforeTime: request.beforeTime } : {}),
      });
    } catch (error) {
      this.#deps.log.error({ err: error, thread }, 'could not read chat history');
      throw new ParleyError(ErrorCode.OTHER, 'history unavailable');
    }
  }

  #prune(): void {
    try {
      const deleted = this.#deps.store?.prune() ?? 0;
      if (deleted > 0) this.#deps.log.info({ deleted }, 'chat messages past retention deleted');
    } catch (error) {
      this.#deps.log.error({ err: error }, 'could not prune chat history');
    }
  }
}

/** The sender's `username`, else `nickname`, from the user data it publishes. */
function displayNameOf(session: UserSession): string | undefined {
  try {
    const contact = JSON.parse(session.contactJson) as { userData?: Record<string, unknown> };
    const name = contact.userData?.username ?? contact.userData?.nickname;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}
