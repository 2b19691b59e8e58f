import * as z from 'zod';
import { ContactInfo } from './common.js';

// Apart from moderation.ts so that conversation.ts can use it without an import cycle.

/** apiRTC's `Conversation.getRole()` values. */
export const ConversationRole = z.enum(['moderator', 'contributor', 'guest']);
export type ConversationRole = z.infer<typeof ConversationRole>;

/**
 * The moderation part of a `conv.join` answer, present when the conversation is moderated.
 * `waiting`: the user is in the waiting room and not a participant yet (`conv.entry` decides).
 * `moderator`: a moderator present in the conversation, if any.
 */
export const JoinModeration = z.object({
  role: ConversationRole,
  waiting: z.boolean(),
  moderator: ContactInfo.optional(),
});
export type JoinModeration = z.infer<typeof JoinModeration>;
