import type { Conversation } from '../Conversation.js';
import type { ConversationContext } from './context.js';

/** `getOrCreateConversation` options (docs/sdk-reference.md#option-types), used when the instance is created. */
export interface ConversationOptions {
  meshModeEnabled?: boolean;
  meshOnlyEnabled?: boolean;
  moderationEnabled?: boolean;
  moderator?: boolean;
  active?: boolean;
  e2ee?: boolean | object;
}

/**
 * `conversation.join()` options (apiRTC's JoinOptions). Accepted for compatibility; Parley's join
 * takes no option yet (no conversation passwords, quality adaptation always on, codecs negotiated).
 */
export interface JoinOptions {
  password?: string;
  qualityAdaptationEnabled?: boolean;
  supportedVideoCodecs?: string[];
}

/** The Session side of a Conversation (internal). */
export interface ConversationHost {
  /** Removes the instance from the session registry. */
  forget(conversation: Conversation): void;
  /** The session services a joined conversation uses (absent in isolated instances). */
  readonly context?: ConversationContext;
}
