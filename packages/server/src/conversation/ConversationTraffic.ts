import { type ConvMessageResult, type ConvRelayResult, ErrorCode, ParleyError, type RequestOf } from '@parley/protocol';
import type { Logger } from '../logging/logger.js';
import type { UserSession } from '../session/UserSession.js';
import type { Conversation } from './Conversation.js';
import type { ConversationChatLog } from './ConversationService.js';
import { fanOut } from './fanOut.js';
import type { GroupChat } from './GroupChat.js';
import type { Participant } from './Participant.js';
import type { Publication } from './Publication.js';
import type { RelayTable } from './RelayTable.js';
import type { SessionQuotas } from './SessionQuotas.js';
import { withoutDeviceIds } from './withoutDeviceIds.js';

/** What {@link ConversationTraffic} needs from the ConversationService that owns it. */
export interface ConversationTrafficDeps {
  /** The conversation a request names and the session's participant in it. @throws 16 when not joined, 3 once closed */
  context(session: UserSession, request: { conversation: string }): { conversation: Conversation; participant: Participant };
  /** @throws ParleyError 3 once the service closed */
  checkOpen(): void;
  quotas: SessionQuotas;
  relays: RelayTable<UserSession>;
  chatLog?: ConversationChatLog;
  /** Chat-only members (joinGroupChat): they send and receive messages without joining. */
  chat: GroupChat;
  /** The conversation of that name, if it exists. */
  conversation(apiKey: string, name: string): Conversation | undefined;
  log: Logger;
}

/**
 * The requests a participant sends to other participants of a conversation it is in: mesh
 * signalling, chat messages, loss reports, the publisher's constraint and speaker updates, and
 * the relay of remote control to a publisher. Kept apart from ConversationService, which owns
 * membership (join, leave, moderation gate) and routes these here once the session is known to
 * be a participant.
 */
export class ConversationTraffic {
  readonly #deps: ConversationTrafficDeps;
  #nextUuid = 1;

  constructor(deps: ConversationTrafficDeps) {
    this.#deps = deps;
  }

  meshSignal(session: UserSession, request: RequestOf<'mesh.signal'>): void {
    const { conversation, participant } = this.#deps.context(session, request);
    if (conversation.mode !== 'mesh') throw new ParleyError(ErrorCode.WRONG_STATE, 'conversation is not in mesh mode');
    const target = conversation.participants.get(request.to);
    if (!target || target === participant) throw new ParleyError(ErrorCode.NOT_FOUND, 'participant not found');
    this.#deps.quotas.admitMeshSignal(session);
    target.session.send({ type: 'mesh.signal', conversation: conversation.name, from: session.userId, payload: request.payload });
  }

  qualityReport(session: UserSession, request: RequestOf<'conv.qualityReport'>): void {
    const { conversation, participant } = this.#deps.context(session, request);
    if (conversation.mode === 'mesh' && !conversation.meshOnly && participant.loss.report(request.lossRatio)) {
      this.#deps.log.info({ conversation: conversation.name, userId: session.userId }, 'sustained loss: moving room to SFU');
      conversation.switchToSfu();
    }
  }

  /** A participant's or a chat member's message, to both the participants and the chat members. */
  message(session: UserSession, request: RequestOf<'conv.message'>): ConvMessageResult {
    this.#deps.checkOpen();
    const name = request.conversation;
    const conversation = this.#deps.conversation(session.apiKey, name);
    const chat = this.#deps.chat;
    if (!chat.isMember(session, name, conversation)) this.#deps.context(session, request);
    const uuid = this.#deps.chatLog?.conversationMessage(session, name, request.content, request.metadata) ?? this.#nextUuid++;
    const base = { type: 'conv.message', conversation: name, from: session.userId, content: request.content, uuid, time: Date.now() } as const;
    const event = request.metadata !== undefined ? { ...base, metadata: request.metadata } : base;
    conversation?.broadcast(event, session);
    fanOut(event, chat.recipients(session.apiKey, name, conversation), this.#deps.log, session);
    return { uuid };
  }

  constraintsChanged(session: UserSession, request: RequestOf<'conv.constraintsChanged'>): void {
    const { conversation } = this.#deps.context(session, request);
    const publication = conversation.publication(request.streamId);
    if (publication.publisherId !== session.userId) throw new ParleyError(ErrorCode.NOT_ALLOWED, 'not the publisher of this stream');
    const constraints = withoutDeviceIds(request.constraints);
    const event = { type: 'conv.constraintsChanged', conversation: conversation.name, streamId: request.streamId, constraints } as const;
    fanOut(event, conversation.subscribersOf(request.streamId), this.#deps.log);
  }

  /** Speaker detection result of a publisher, forwarded to the stream's subscribers only. */
  audioAmplitude(session: UserSession, request: RequestOf<'conv.audioAmplitude'>): void {
    const { conversation } = this.#deps.context(session, request);
    const publication = conversation.publication(request.streamId);
    if (publication.publisherId !== session.userId) throw new ParleyError(ErrorCode.NOT_ALLOWED, 'not the publisher of this stream');
    const { streamId, amplitude, isSpeaking } = request;
    const event = { type: 'conv.audioAmplitude', conversation: conversation.name, streamId, amplitude, isSpeaking } as const;
    fanOut(event, conversation.subscribersOf(streamId), this.#deps.log);
  }

  /**
   * Remote control of a publisher's stream (apiRTC applyRemotely, remote constraints). Allowed to
   * the stream's subscribers only; re-enabling audio/video also needs the publisher's opt-in
   * (`remoteUnmuteEnabled`), which the publisher's SDK enforces again on its side.
   * @throws ParleyError 8 unknown stream, 4 not a subscriber, 14 remote unmute not allowed
   */
  relay(session: UserSession, request: RequestOf<'conv.relay'>): Promise<ConvRelayResult> {
    const { conversation, participant: requester } = this.#deps.context(session, request);
    const publication = conversation.publication(request.streamId);
    const publisher = conversation.participants.get(publication.publisherId);
    if (!publisher) throw new ParleyError(ErrorCode.NOT_FOUND, 'stream not found');
    if (!mayControl(requester, publication, conversation)) {
      throw new ParleyError(ErrorCode.UNAUTHORIZED, 'only subscribers of this stream may control it');
    }
    if ((request.action === 'enableAudio' || request.action === 'enableVideo') && !publication.remoteUnmuteEnabled) {
      throw new ParleyError(ErrorCode.NOT_ALLOWED, 'the publisher does not allow remote unmute');
    }
    const relays = this.#deps.relays;
    this.#deps.quotas.checkRelay(relays.pendingOf(requester.session));
    const { relayId, answer } = relays.open(requester.session, publisher.session, conversation);
    publisher.session.send({
      type: 'conv.relayRequest',
      conversation: conversation.name,
      relayId,
      from: requester.userId,
      streamId: request.streamId,
      action: request.action,
      // Nor may a requester pick the publisher's capture device (or probe which ones exist).
      ...(request.args !== undefined ? { args: withoutDeviceIds(request.args) } : {}),
    });
    return answer;
  }

  /** Settles a relay with the publisher's answer, device ids removed (second line after the SDK). */
  answerRelay(session: UserSession, request: RequestOf<'conv.relayAnswer'>): void {
    this.#deps.checkOpen();
    let result: unknown;
    try {
      result = withoutDeviceIds(request.result);
    } catch (error) {
      // The requester learns it failed now rather than at the timeout.
      this.#deps.relays.answer(session, request.relayId, false, undefined, 'invalid relay result');
      throw error;
    }
    this.#deps.relays.answer(session, request.relayId, request.ok, result, request.error);
  }
}

/** Whether `requester` may run relay actions on `publication`: its subscribers and the conversation's moderators may. */
function mayControl(requester: Participant, publication: Publication, conversation: Conversation): boolean {
  return requester.subscriptions.has(publication.streamId) || conversation.moderation?.isModerator(requester.userId) === true;
}
