import { CONVERSATION_STATUS_WAITING } from '../constants.js';
import { randomString } from '../util/ids.js';
import { Conference } from './Conference.js';
import type { ConversationContext, ConversationServerEvent } from './conversation/context.js';
import { Conversation, type ConversationHost, type ConversationOptions } from './Conversation.js';
import { CONVERSATION_EVENT, CONVERSATION_PRESENCE, CONVERSATION_REJOIN, CONVERSATION_SESSION_ENDED } from './internal.js';

/** `prefix:name` (exactly one colon) designates a Conference (docs/sdk-reference.md#identifiers). */
const CONFERENCE_NAME = /^([^:]+):([^:]+)$/;

/**
 * The conversations of one Session, one instance per name (docs/sdk-reference.md#session, getOrCreateConversation).
 * Conferences live in their own map so that `getConversation` never returns one.
 */
export class ConversationRegistry implements ConversationHost {
  readonly #conversations = new Map<string, Conversation>();
  readonly #conferences = new Map<string, Conference>();
  /** Session services handed to every conversation (absent in isolated unit tests). */
  readonly context: ConversationContext | undefined;

  constructor(context?: ConversationContext) {
    this.context = context;
  }

  /** Existing instance for `name`, or a new one (Conference for `prefix:name`). */
  getOrCreate(name: unknown, options?: ConversationOptions): Conversation {
    const key = this.#key(name);
    const conference = CONFERENCE_NAME.exec(key);
    if (conference) return this.getOrCreateConference(key, options);
    return this.getOrCreatePlain(key, options);
  }

  /** Existing or new plain Conversation for `name` (never a Conference). */
  getOrCreatePlain(name: unknown, options?: ConversationOptions): Conversation {
    const key = this.#key(name);
    let conversation = this.#conversations.get(key);
    if (!conversation) {
      conversation = new Conversation(key, options, this);
      this.#conversations.set(key, conversation);
    }
    return conversation;
  }

  /** Existing or new Conference for `prefix:name` (named after the colon) or a bare name. */
  getOrCreateConference(name: unknown, options?: ConversationOptions): Conference {
    const key = this.#key(name);
    let conference = this.#conferences.get(key);
    if (!conference) {
      conference = new Conference(CONFERENCE_NAME.exec(key)?.[2] ?? key, options, this);
      this.#conferences.set(key, conference);
    }
    return conference;
  }

  /** Joined conversations by name. */
  active(): { [name: string]: Conversation } {
    return Object.fromEntries([...this.#conversations].filter(([, c]) => c.isJoined()));
  }

  /** Joined conferences by name. */
  activeConferences(): { [name: string]: Conference } {
    return Object.fromEntries([...this.#conferences].filter(([, c]) => c.isJoined()));
  }

  /** Every instance (to leave them all on disconnect). */
  all(): Conversation[] {
    return [...this.#conversations.values(), ...this.#conferences.values()];
  }

  /** Routes a server event to the conversation(s) it names. */
  dispatch(event: ConversationServerEvent): void {
    for (const c of this.all()) if (c.getName() === event.conversation) c[CONVERSATION_EVENT](event);
  }

  /** Routes the presence changes of each group to the conversation of that name. */
  presence(joined: Map<string, string[]>, left: Map<string, string[]>): void {
    for (const c of this.all()) {
      const j = joined.get(c.getName()) ?? [];
      const l = left.get(c.getName()) ?? [];
      if (j.length > 0 || l.length > 0) c[CONVERSATION_PRESENCE](j, l);
    }
  }

  /** The session ended: every conversation stops locally. */
  sessionEnded(): void {
    for (const c of this.all()) c[CONVERSATION_SESSION_ENDED]();
  }

  /** The session was registered again: joined conversations join again, waiting guests wait again. */
  rejoin(): void {
    for (const c of this.all()) if (c.isJoined() || c.getStatus() === CONVERSATION_STATUS_WAITING) void c[CONVERSATION_REJOIN]();
  }

  /** Called by `conversation.destroy()`. */
  forget(conversation: Conversation): void {
    for (const map of [this.#conversations, this.#conferences] as Map<string, Conversation>[]) {
      for (const [key, c] of map) if (c === conversation) map.delete(key);
    }
  }

  #key(name: unknown): string {
    // Any other value is coerced as apiRTC does, objects included.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- String() of any name is apiRTC's behaviour
    const text = name === undefined || name === null ? '' : String(name);
    // An empty or missing name creates a conversation with a generated name (docs/sdk-reference.md#session).
    return text === '' ? `conversation-${randomString(12)}` : text;
  }
}
