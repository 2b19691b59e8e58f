import type { PublishedMedia } from '../../media/MediaPlane.js';
import type { ConversationCall } from '../ConversationCall.js';
import type { Conversation } from '../Conversation.js';
import type { Stream } from '../Stream.js';

/** A local stream published (or being published) in one conversation. */
export interface Publication {
  conversation: Conversation;
  /** Name of the conversation. */
  name: string;
  stream: Stream;
  /** Announced id (the local stream id at publish time). */
  streamId: number;
  media: PublishedMedia;
  callId: string;
  call: ConversationCall;
  /** Announced and its media leg up; until then the stream does not count as published. */
  ready: boolean;
  detach: () => void;
  /** `PublishOptions.remoteUnmuteEnabled` of this publication. */
  remoteUnmute: boolean;
}

/**
 * Where local streams are published: the one record behind `conversation.isPublished()`,
 * `stream.callId`, `stream.publishedInConversations` and `stream.getConversations()`. Entries are
 * added when a publish starts; only ready ones count for the Stream's questions.
 */
export class PublicationRegistry {
  /** Conversation → announced stream id → publication. */
  readonly #byConversation = new Map<Conversation, Map<number, Publication>>();
  /** When each publication became ready (its order among a Stream's publications). */
  readonly #readyOrder = new WeakMap<Publication, number>();
  #readyCount = 0;

  /** Records a publication (replacing any of the same conversation and id). */
  add(pub: Publication): void {
    const map = this.#byConversation.get(pub.conversation) ?? new Map<number, Publication>();
    map.set(pub.streamId, pub);
    this.#byConversation.set(pub.conversation, map);
  }

  /** Forgets `pub` if it is still the recorded one; true when it was. */
  remove(pub: Publication): boolean {
    const map = this.#byConversation.get(pub.conversation);
    if (map?.get(pub.streamId) !== pub) return false;
    map.delete(pub.streamId);
    if (map.size === 0) this.#byConversation.delete(pub.conversation);
    return true;
  }

  /** The publication's media is up: from now on it counts as where its Stream is published. */
  markReady(pub: Publication): void {
    pub.ready = true;
    this.#readyOrder.set(pub, ++this.#readyCount);
  }

  /** Whether `pub` is still the recorded publication of its conversation and id. */
  holds(pub: Publication): boolean {
    return this.#byConversation.get(pub.conversation)?.get(pub.streamId) === pub;
  }

  /** The publication of announced id `streamId` in `conversation`. */
  get(conversation: Conversation, streamId: number): Publication | undefined {
    return this.#byConversation.get(conversation)?.get(streamId);
  }

  /** The publications of `conversation`, ready or not. */
  in(conversation: Conversation): Publication[] {
    return [...(this.#byConversation.get(conversation)?.values() ?? [])];
  }

  /** The publication of a Stream object in `conversation`, ready or not. */
  find(conversation: Conversation, stream: unknown): Publication | undefined {
    for (const p of this.#byConversation.get(conversation)?.values() ?? []) if (p.stream === stream) return p;
    return undefined;
  }

  /** The ready publications of a Stream, in the order they became ready. */
  of(stream: Stream): Publication[] {
    const out: Publication[] = [];
    for (const map of this.#byConversation.values()) for (const p of map.values()) if (p.stream === stream && p.ready) out.push(p);
    return out.sort((a, b) => (this.#readyOrder.get(a) ?? 0) - (this.#readyOrder.get(b) ?? 0));
  }
}

/** The page's registry (Streams and Conversations of every UserAgent share it). */
export const publicationRegistry = new PublicationRegistry();
