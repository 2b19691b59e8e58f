import { type ConvJoinResult, ErrorCode, ParleyError, type RequestOf, type UnsequencedEvent } from '@parley/protocol';
import type { Logger } from '../../logging/logger.js';
import { Reply } from '../../session/Reply.js';
import type { HandlerTable } from '../../session/RequestHandler.js';
import type { UserSession } from '../../session/UserSession.js';
import type { Conversation } from '../Conversation.js';
import { fanOut } from '../fanOut.js';
import type { Participant } from '../Participant.js';
import type { Moderation } from './Moderation.js';
import { contactOf } from './WaitingRoom.js';

/** Request types the gate runs. */
export type ModerationRequestType = 'conv.allowEntry' | 'conv.denyEntry' | 'conv.eject';

/** What the gate needs of the conversation service. */
export interface ModerationHost {
  readonly log: Logger;
  /** The conversation the request names and the sender's participant in it. @throws 16 */
  context(session: UserSession, request: { conversation: string }): { conversation: Conversation; participant: Participant };
  /** Makes `session` a participant (no moderation check); returns the join result and the streams to send it. */
  enter(session: UserSession, conversation: Conversation): { result: ConvJoinResult; after: () => void };
  /** Makes a participant leave (withdraws its streams, leaves the membership group). */
  leave(session: UserSession, conversation: Conversation): void;
  /** Counts `conversation` among the session's memberships (for quotas and session end). */
  addMembership(session: UserSession, conversation: Conversation): void;
  dropMembership(session: UserSession, conversation: Conversation): void;
}

/**
 * The server side of moderation (docs/protocol.md § Moderation): puts guests of a moderated
 * conversation in its waiting room instead of letting them in, and runs the moderators'
 * decisions. Only moderators present in the conversation may decide (code 4 otherwise).
 */
export class ModerationGate {
  readonly #host: ModerationHost;

  constructor(host: ModerationHost) {
    this.#host = host;
  }

  readonly handlers: HandlerTable<ModerationRequestType> = {
    'conv.allowEntry': (session, request) => this.#allow(session, request),
    'conv.denyEntry': (session, request) => this.#deny(session, request),
    'conv.eject': (session, request) => this.#eject(session, request),
  };

  /** A guest asked to join: it waits; the moderators present are told. Answered `waiting`. */
  wait(session: UserSession, conversation: Conversation, moderation: Moderation): Reply<ConvJoinResult> {
    this.#host.addMembership(session, conversation);
    if (moderation.waitingRoom.add(session)) this.#toModerators(conversation, moderation, 'joined', session);
    const moderator = this.#presentModerator(conversation, moderation);
    const result: ConvJoinResult = {
      mode: conversation.mode,
      meshOnly: conversation.meshOnly,
      moderation: { role: 'guest', waiting: true, ...(moderator ? { moderator: contactOf(moderator) } : {}) },
    };
    return new Reply(result, () => undefined);
  }

  /**
   * A moderator became a participant: it is sent the waiting room (after its join answer), and
   * the waiting users learn that a moderator is there.
   */
  moderatorEntered(session: UserSession, conversation: Conversation, moderation: Moderation): void {
    for (const guest of moderation.waitingRoom.sessions()) {
      session.send({ type: 'conv.waitingRoom', conversation: conversation.name, change: 'joined', contact: contactOf(guest) });
    }
    const event: UnsequencedEvent = { type: 'conv.moderator', conversation: conversation.name, moderator: contactOf(session) };
    fanOut(event, moderation.waitingRoom.sessions(), this.#host.log);
  }

  /** A waiting user got the role (it asked again once the role was free): out of the room, the conversation stays. */
  promoted(session: UserSession, conversation: Conversation, moderation: Moderation): void {
    if (!moderation.waitingRoom.has(session)) return;
    moderation.waitingRoom.take(session.userId);
    this.#toModerators(conversation, moderation, 'left', session);
  }

  /** `session` stops waiting (cancelled, left, session ended). @returns false when it was not waiting */
  stopWaiting(session: UserSession, conversation: Conversation): boolean {
    const moderation = conversation.moderation;
    if (!moderation?.waitingRoom.has(session)) return false;
    moderation.waitingRoom.take(session.userId);
    this.#toModerators(conversation, moderation, 'left', session);
    this.#host.dropMembership(session, conversation);
    conversation.closeIfEmpty();
    return true;
  }

  #allow(session: UserSession, request: RequestOf<'conv.allowEntry'>): void {
    const { conversation, moderation } = this.#asModerator(session, request, 'allow entry');
    const guest = this.#takeWaiting(conversation, moderation, request.userId);
    let entered: { result: ConvJoinResult; after: () => void };
    try {
      entered = this.#host.enter(guest, conversation);
    } catch (error) {
      // Full room, quotas: the guest is told it cannot enter rather than left waiting.
      const reason = error instanceof ParleyError ? error.message : 'cannot join conversation';
      guest.send({ type: 'conv.entry', conversation: conversation.name, decision: 'denied', reason });
      this.#host.dropMembership(guest, conversation);
      throw error;
    }
    const { mode, meshOnly } = entered.result;
    guest.send({ type: 'conv.entry', conversation: conversation.name, decision: 'allowed', mode, meshOnly });
    entered.after();
  }

  #deny(session: UserSession, request: RequestOf<'conv.denyEntry'>): void {
    const { conversation, moderation } = this.#asModerator(session, request, 'deny entry');
    const guest = this.#takeWaiting(conversation, moderation, request.userId);
    const reason = request.reason !== undefined ? { reason: request.reason } : {};
    guest.send({ type: 'conv.entry', conversation: conversation.name, decision: 'denied', ...reason });
    this.#host.dropMembership(guest, conversation);
  }

  /** Answered once the ejected user is out (apiRTC resolves eject() on the server's confirmation). */
  #eject(session: UserSession, request: RequestOf<'conv.eject'>): void {
    const { conversation, moderation } = this.#asModerator(session, request, 'eject a participant');
    if (request.userId === session.userId) throw new ParleyError(ErrorCode.BAD_PARAMETER, 'a moderator cannot eject itself');
    const target = conversation.participants.get(request.userId);
    if (!target) throw new ParleyError(ErrorCode.NOT_FOUND, 'participant not found');
    moderation.ejected(target.userId);
    const reason = request.reason !== undefined ? { reason: request.reason } : {};
    // Everyone, the ejected user included, hears it before the membership changes.
    conversation.broadcast({ type: 'conv.ejected', conversation: conversation.name, userId: target.userId, ...reason });
    this.#host.leave(target.session, conversation);
  }

  /** @throws 16 not joined or not moderated, 4 not a moderator */
  #asModerator(session: UserSession, request: { conversation: string }, what: string): { conversation: Conversation; moderation: Moderation } {
    const { conversation } = this.#host.context(session, request);
    const moderation = conversation.moderation;
    if (!moderation) throw new ParleyError(ErrorCode.WRONG_STATE, 'conversation is not moderated');
    if (!moderation.isModerator(session.userId)) throw new ParleyError(ErrorCode.UNAUTHORIZED, `only a moderator can ${what}`);
    return { conversation, moderation };
  }

  /** Takes a waiting user out of the room; the moderators are told. @throws 8 not waiting */
  #takeWaiting(conversation: Conversation, moderation: Moderation, userId: string): UserSession {
    const guest = moderation.waitingRoom.take(userId);
    // Another moderator may have answered first: the later answers find nobody.
    if (!guest) throw new ParleyError(ErrorCode.NOT_FOUND, 'user not in the waiting room');
    this.#toModerators(conversation, moderation, 'left', guest);
    return guest;
  }

  #toModerators(conversation: Conversation, moderation: Moderation, change: 'joined' | 'left', guest: UserSession): void {
    const sessions: UserSession[] = [];
    for (const id of moderation.moderators()) {
      const participant = conversation.participants.get(id);
      if (participant) sessions.push(participant.session);
    }
    fanOut({ type: 'conv.waitingRoom', conversation: conversation.name, change, contact: contactOf(guest) }, sessions, this.#host.log);
  }

  #presentModerator(conversation: Conversation, moderation: Moderation): UserSession | undefined {
    for (const id of moderation.moderators()) {
      const participant = conversation.participants.get(id);
      if (participant) return participant.session;
    }
    return undefined;
  }
}
