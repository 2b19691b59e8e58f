import { ERROR_OTHER, ERROR_WRONG_STATE } from '../../constants.js';
import { RequestError } from '../../engine/RequestError.js';
import { apiError } from '../../util/errors.js';
import type { Conversation } from '../Conversation.js';
import type { ConversationContext, ConversationServerEvent } from './context.js';
import type { ConversationEmit } from './events.js';
import { emitIncoming, sendMessage } from './messaging.js';

/**
 * Chat-only membership of a conversation (apiRTC `joinGroupChat`, docs/sdk-reference.md#group-chat):
 * the server fans the conversation's messages out to the member and lets it send and read the
 * history, with no stream list and no media. A full `join()` supersedes it (apiRTC resets the
 * flag then), so the facade calls {@link superseded} after a successful join.
 */
export class GroupChatMembership {
  readonly #ctx: ConversationContext;
  readonly #conversation: Conversation;
  readonly #name: string;
  readonly #emit: ConversationEmit;
  #joined = false;
  #busy = false;

  constructor(ctx: ConversationContext, conversation: Conversation, name: string, emit: ConversationEmit) {
    this.#ctx = ctx;
    this.#conversation = conversation;
    this.#name = name;
    this.#emit = emit;
  }

  get joined(): boolean {
    return this.#joined;
  }

  /** Rejects 16 when already a chat member, 0 busy / transport failure, and the server's code (14: moderated, quota). */
  async join(): Promise<void> {
    if (this.#joined) throw apiError(ERROR_WRONG_STATE, 'joinGroupChat() - cannot join group chat');
    if (this.#busy) throw apiError(ERROR_OTHER, 'joinGroupChat() - busy');
    this.#busy = true;
    try {
      await this.#ctx.request({ type: 'conv.joinGroupChat', conversation: this.#name });
      this.#joined = true;
    } catch (err) {
      if (err instanceof RequestError && err.kind === 'answer') throw apiError(err.code, `joinGroupChat() - cannot join group chat: ${err.message}`, err);
      throw apiError(ERROR_OTHER, 'joinGroupChat() - cannot join group chat', err);
    } finally {
      this.#busy = false;
    }
  }

  /** Rejects 16 when not a chat member or while the conversation itself is joined, 0 otherwise. */
  async leave(conversationJoined: boolean): Promise<void> {
    if (conversationJoined) throw apiError(ERROR_WRONG_STATE, 'leaveGroupChat() - webconf active');
    if (!this.#joined) throw apiError(ERROR_WRONG_STATE, 'leaveGroupChat() - group chat not joined');
    this.#joined = false;
    try {
      await this.#ctx.request({ type: 'conv.leaveGroupChat', conversation: this.#name });
    } catch (err) {
      throw apiError(ERROR_OTHER, 'leaveGroupChat() - cannot leave group chat', err);
    }
  }

  /** The conversation was joined in full: the chat-only membership ends (server side too, best effort). */
  superseded(): void {
    if (!this.#joined) return;
    this.#joined = false;
    this.#ctx.request({ type: 'conv.leaveGroupChat', conversation: this.#name }).catch(() => {
      // The server drops the membership at session end anyway; the participant path carries the chat now.
    });
  }

  /** The server had dropped the session: asks for the membership again (no event, like the media re-join). */
  async rejoin(): Promise<void> {
    if (!this.#joined) return;
    try {
      await this.#ctx.request({ type: 'conv.joinGroupChat', conversation: this.#name });
    } catch {
      this.#joined = false;
    }
  }

  /** The session ended: the server forgot the membership. */
  sessionEnded(): void {
    this.#joined = false;
  }

  sendMessage(msg: unknown, opts: { metadata?: object }): Promise<number> {
    return sendMessage(this.#ctx, this.#name, this.#joined, msg, opts);
  }

  /** Delivers a chat event to a chat-only member; false when not one (the event is someone else's). */
  onEvent(e: ConversationServerEvent): boolean {
    if (!this.#joined || e.type !== 'conv.message') return false;
    emitIncoming(e, { ctx: this.#ctx, conversation: this.#conversation, name: this.#name, emit: this.#emit });
    return true;
  }
}
