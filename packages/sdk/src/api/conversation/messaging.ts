import { ERROR_BAD_PARAMETER, ERROR_ON_SAVE, ERROR_OTHER, ERROR_WRONG_STATE } from '../../constants.js';
import { RequestError } from '../../engine/RequestError.js';
import { apiError } from '../../util/errors.js';
import type { Conversation } from '../Conversation.js';
import type { ConversationContext, ConversationServerEvent } from './context.js';
import type { ConversationEmit } from './events.js';

/*
 * Conversation chat, data and custom events: the sending side (requests and apiRTC errors) and
 * the receiving side (`message`, `data`, `customEvent` payloads, Session `customEvent`).
 */

/** `conversation.sendMessage`: resolves the message uuid; rejects 16 / 9 / 0 as apiRTC does. */
export async function sendMessage(ctx: ConversationContext, name: string, joined: boolean, msg: unknown, opts: { metadata?: object }): Promise<number> {
  if (!joined) throw apiError(ERROR_WRONG_STATE, 'sendMessage() - group chat not joined');
  if (typeof msg !== 'string') throw apiError(ERROR_BAD_PARAMETER, 'sendMessage() - wrong type of message');
  if (msg === '') throw apiError(ERROR_BAD_PARAMETER, 'sendMessage() - message parameter is empty');
  try {
    const data = await ctx.request({
      type: 'conv.message',
      conversation: name,
      content: msg,
      ...(opts.metadata && typeof opts.metadata === 'object' ? { metadata: opts.metadata as Record<string, unknown> } : {}),
    });
    return data?.uuid ?? 0;
  } catch (err) {
    if (err instanceof RequestError && err.code === ERROR_ON_SAVE) throw apiError(ERROR_ON_SAVE, 'sendMessage() - error on save', err);
    throw apiError(ERROR_OTHER, 'sendMessage() - cannot send message', err);
  }
}

/** `conversation.sendData`: rejects 0 "sendData() - cannot send data". */
export async function sendData(ctx: ConversationContext, name: string, joined: boolean, data: unknown): Promise<void> {
  if (!joined) throw apiError(ERROR_OTHER, 'sendData() - cannot send data');
  try {
    await ctx.request({ type: 'conv.data', conversation: name, content: data });
  } catch (err) {
    throw apiError(ERROR_OTHER, 'sendData() - cannot send data', err);
  }
}

/** `conversation.sendCustomEvent`: rejects 0 "sendCustomEvent() - cannot send data". */
export async function sendCustomEvent(ctx: ConversationContext, name: string, joined: boolean, event: unknown, content: unknown): Promise<void> {
  if (!joined) throw apiError(ERROR_OTHER, 'sendCustomEvent() - cannot send data');
  if (typeof event !== 'string' || event === '') throw apiError(ERROR_BAD_PARAMETER, 'sendCustomEvent() - event must be a non-empty string');
  try {
    await ctx.request({ type: 'conv.customEvent', conversation: name, event, content: content ?? {} });
  } catch (err) {
    throw apiError(ERROR_OTHER, 'sendCustomEvent() - cannot send data', err);
  }
}

/** Where incoming conversation messages are delivered. */
export interface IncomingHost {
  ctx: ConversationContext;
  conversation: Conversation;
  name: string;
  emit: ConversationEmit;
}

/** Emits the apiRTC event of an incoming `conv.message` / `conv.data` / `conv.customEvent`. */
export function emitIncoming(e: ConversationServerEvent, h: IncomingHost): void {
  switch (e.type) {
    case 'conv.message': {
      const sender = h.ctx.contact(e.from);
      h.emit('message', {
        sender,
        sender_id: e.from,
        content: e.content,
        time: new Date(e.time),
        ...(e.metadata ? { metadata: e.metadata } : {}),
        uuid: e.uuid,
      });
      return;
    }
    case 'conv.data':
      h.emit('data', { sender: h.ctx.contact(e.from), content: e.content });
      return;
    case 'conv.customEvent': {
      const sender = h.ctx.contact(e.from);
      const base = e.content && typeof e.content === 'object' ? e.content : {};
      const content = { ...base, event: e.event, roomname: h.name };
      h.emit('customEvent', { event: e.event, sender, content });
      h.ctx.sessionCustomEvent({ event: e.event, content, sender, conversation: h.conversation });
      return;
    }
    default:
      return;
  }
}
