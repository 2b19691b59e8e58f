/** Delivery state of a message this user sent. */
export type Delivery = 'sending' | 'sent' | 'failed';

export interface ChatMessage {
  /** Local key (unique within the store). */
  key: number;
  /** true when this user wrote it. */
  mine: boolean;
  text: string;
  time: Date;
  /** Only for `mine` messages. */
  delivery?: Delivery;
  /** Why a `failed` message failed, for the tooltip. */
  failure?: string;
}

/**
 * One-to-one chat history per contact id, with unread counters. Pure state: the views read it
 * and re-render when `onChange` fires.
 */
export class ChatStore {
  readonly #threads = new Map<string, ChatMessage[]>();
  readonly #unread = new Map<string, number>();
  #nextKey = 1;
  #open: string | null = null;
  onChange: (contactId: string) => void = () => undefined;

  /** The contact whose thread is on screen (its messages never count as unread). */
  get openThread(): string | null {
    return this.#open;
  }

  open(contactId: string | null): void {
    this.#open = contactId;
    if (contactId !== null) this.#unread.delete(contactId);
    if (contactId !== null) this.onChange(contactId);
  }

  messages(contactId: string): readonly ChatMessage[] {
    return this.#threads.get(contactId) ?? [];
  }

  unread(contactId: string): number {
    return this.#unread.get(contactId) ?? 0;
  }

  totalUnread(): number {
    let total = 0;
    for (const n of this.#unread.values()) total += n;
    return total;
  }

  /** A message received from `contactId`. */
  received(contactId: string, text: string, time: Date): ChatMessage {
    const message: ChatMessage = { key: this.#nextKey++, mine: false, text, time };
    this.#push(contactId, message);
    if (this.#open !== contactId) this.#unread.set(contactId, this.unread(contactId) + 1);
    this.onChange(contactId);
    return message;
  }

  /** A message this user is sending to `contactId`; settle it with `delivered` / `failed`. */
  sending(contactId: string, text: string, time: Date = new Date()): ChatMessage {
    const message: ChatMessage = { key: this.#nextKey++, mine: true, text, time, delivery: 'sending' };
    this.#push(contactId, message);
    this.onChange(contactId);
    return message;
  }

  delivered(contactId: string, message: ChatMessage): void {
    message.delivery = 'sent';
    this.onChange(contactId);
  }

  failed(contactId: string, message: ChatMessage, reason: string): void {
    message.delivery = 'failed';
    message.failure = reason;
    this.onChange(contactId);
  }

  #push(contactId: string, message: ChatMessage): void {
    const thread = this.#threads.get(contactId);
    if (thread) thread.push(message);
    else this.#threads.set(contactId, [message]);
  }
}
