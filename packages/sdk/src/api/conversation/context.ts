import type { ConversationServerEvent } from '../../engine/Engine.js';
import type { TrackOptions } from '../../engine/RequestTracker.js';
import type { Contact } from '../Contact.js';
import type { Conversation } from '../Conversation.js';
import type { SentInvitation } from '../invitations/SentInvitation.js';
import type { ConversationEmit } from './events.js';
import type { RequestFn } from '../../util/messages.js';
import type { QualitySettings } from '../../quality/QualitySettings.js';

/** What a Conversation needs from its Session (internal). */
export interface ConversationContext {
  /** Sends a request; resolves its typed, validated result. */
  request: RequestFn<TrackOptions>;
  /** Local user id. */
  selfId(): string;
  /** HTTP base URL of the server. */
  baseUrl(): string;
  /** The session's STUN/TURN servers (fresh TURN credentials), read when a media connection is built. */
  iceServers(): RTCIceServer[];
  /** The session's unique Contact for `id` (the local id included). */
  contact(id: string): Contact;
  /** Ids currently members of conversation `name` (local user excluded). */
  members(name: string): string[];
  /** Drops the membership state of conversation `name` (left). */
  forgetGroup(name: string): void;
  /** Client-wide speaker detection and stats monitoring switches (`userAgent.enable…`). */
  readonly quality: QualitySettings;
  /** Emits Session `customEvent` for a conversation custom event. */
  sessionCustomEvent(payload: { event: string; content: unknown; sender: Contact; conversation: Conversation }): void;
  /** Invites `contact` to `conversation` (`sendInvitation`); null (logged) when it cannot be sent. */
  invite(contact: Contact, conversation: Conversation, opts: { expirationTime?: number }): SentInvitation | null;
}

export type { ConversationServerEvent };

/** What every part of a joined conversation shares (internal). */
export interface ConversationScope {
  readonly ctx: ConversationContext;
  readonly conversation: Conversation;
  /** Name of the conversation. */
  readonly name: string;
  readonly emit: ConversationEmit;
  /** Whether the conversation is joined (not joining, not left). */
  joined(): boolean;
  /** Bumped on every join and leave, so that stale async work can tell it is outdated. */
  epoch(): number;
}
