import { type ContactSendRequest, type ContactSendResult, ErrorCode, ParleyError, type UnsequencedEvent } from '@parley/protocol';
import type { HandlerTable } from '../session/RequestHandler.js';
import type { RemoteUsers } from './RemoteUsers.js';
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
  readonly #remote: RemoteUsers | undefined;
  /** Per-server increasing message id; starts at 1. */
  #nextUuid = 1;

  /**
   * `chatLog` stores 1-1 messages and gives their uuid (a counter without it); `remote` reaches
   * users of other nodes (cluster).
   */
  constructor(registry: SessionRegistry, chatLog?: ContactChatLog, remote?: RemoteUsers) {
    this.#registry = registry;
    this.#chatLog = chatLog;
    this.#remote = remote;
  }

  /** Handler of `contact.send`. */
  readonly handlers: HandlerTable<'contact.send'> = {
    'contact.send': (session, request) => this.send(session, request),
  };

  /**
   * Delivers `request` from `from` to its target.
   * @throws ParleyError code 8 `contact not found` when the target is not present.
   */
  send(from: UserSession, request: ContactSendRequest): ContactSendResult | Promise<ContactSendResult> {
    const target = this.#registry.get(from.apiKey, request.to);
    if (target) return { uuid: this.#deliver(from, request, (event) => target.send(event)) };
    const remote = this.#remote;
    if (!remote) throw new ParleyError(ErrorCode.NOT_FOUND, 'contact not found');
    // On another node, perhaps: the id directory in Redis says which (an answer that waits for it).
    return remote.locate(from.apiKey, request.to).then((nodeId) => {
      if (nodeId === null) throw new ParleyError(ErrorCode.NOT_FOUND, 'contact not found');
      return { uuid: this.#deliver(from, request, (event) => remote.deliverTo(nodeId, from.apiKey, request.to, event)) };
    });
  }

  /** Records (messages) and sends the event of `request`; returns its uuid. */
  #deliver(from: UserSession, request: ContactSendRequest, send: (event: UnsequencedEvent) => void): number {
    const uuid = (request.kind === 'message' ? this.#chatLog?.contactMessage(from, request.to, request.content) : undefined) ?? this.#nextUuid++;
    send(eventOf(from, request, uuid));
    return uuid;
  }
}

/** The event the target of `request` receives. */
function eventOf(from: UserSession, request: ContactSendRequest, uuid: number): UnsequencedEvent {
  switch (request.kind) {
    case 'data':
      return { type: 'contact.data', from: from.userId, content: request.content };
    case 'message':
      return { type: 'contact.message', from: from.userId, content: request.content, uuid, time: Date.now() };
    case 'customEvent':
      return { type: 'contact.customEvent', from: from.userId, event: request.event, content: request.content };
  }
}
