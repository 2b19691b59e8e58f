import { type ContactSendRequest, type ContactSendResult, ErrorCode, ParleyError } from '@parley/protocol';
import type { HandlerTable } from '../session/RequestHandler.js';
import type { SessionRegistry } from '../session/SessionRegistry.js';
import type { UserSession } from '../session/UserSession.js';

/** Where accepted 1-1 messages are recorded (history/HistoryService). */
export interface ContactChatLog {
  /** @returns the message's uuid, undefined when not recorded; @throws ParleyError 17 when storing failed */
  contactMessage(from: UserSession, to: string, content: string): number | undefined;
}

/**
 * One-to-one delivery between users of the same API key (`Contact.sendData`, `sendMessage`,
 * `sendCustomEvent`). A target within its resume window counts as present: the event waits in
 * its replay buffer.
 */
export class ContactRelay {
  readonly #registry: SessionRegistry;
  readonly #chatLog: ContactChatLog | undefined;
  /** Per-server increasing message id; starts at 1. */
  #nextUuid = 1;

  /** `chatLog` stores 1-1 messages and gives their uuid (a counter without it). */
  constructor(registry: SessionRegistry, chatLog?: ContactChatLog) {
    this.#registry = registry;
    this.#chatLog = chatLog;
  }

  /** Handler of `contact.send`. */
  readonly handlers: HandlerTable<'contact.send'> = {
    'contact.send': (session, request) => this.send(session, request),
  };

  /**
   * Delivers `request` from `from` to its target.
   * @throws ParleyError code 8 `contact not found` when the target is not present.
   */
  send(from: UserSession, request: ContactSendRequest): ContactSendResult {
    const target = this.#registry.get(from.apiKey, request.to);
    if (!target) throw new ParleyError(ErrorCode.NOT_FOUND, 'contact not found');
    const uuid = (request.kind === 'message' ? this.#chatLog?.contactMessage(from, request.to, request.content) : undefined) ?? this.#nextUuid++;
    switch (request.kind) {
      case 'data':
        target.send({ type: 'contact.data', from: from.userId, content: request.content });
        break;
      case 'message':
        target.send({ type: 'contact.message', from: from.userId, content: request.content, uuid, time: Date.now() });
        break;
      case 'customEvent':
        target.send({ type: 'contact.customEvent', from: from.userId, event: request.event, content: request.content });
        break;
    }
    return { uuid };
  }
}
