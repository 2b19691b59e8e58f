/** Delivery state of a message this user sent. */
export type Delivery = 'sending' | 'sent' | 'failed';

/** A file shared in the room (cloud media): a download link instead of text. */
export interface SharedFile {
  name: string;
  url: string;
  size: number;
}

export interface RoomMessage {
  /** Local key (unique within the store). */
  key: number;
  /** The server's id (chat message uuid, or `file:<media id>`): what tells earlier messages already shown. */
  id?: string;
  file?: SharedFile;
  mine: boolean;
  senderId: string;
  senderName: string;
  text: string;
  time: Date;
  delivery?: Delivery;
  failure?: string;
}

/**
 * The room's group chat: messages in order, and an unread counter while the chat panel is
 * closed. Pure state: the view re-renders when `onChange` fires.
 */
export class RoomChat {
  readonly #messages: RoomMessage[] = [];
  #nextKey = 1;
  #open = false;
  #unread = 0;
  onChange: () => void = () => undefined;

  get unread(): number {
    return this.#unread;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  messages(): readonly RoomMessage[] {
    return this.#messages;
  }

  /** The panel was opened (everything read) or closed. */
  setOpen(open: boolean): void {
    this.#open = open;
    if (open) this.#unread = 0;
    this.onChange();
  }

  received(senderId: string, senderName: string, text: string, time: Date, extra: { id?: string; file?: SharedFile } = {}): RoomMessage {
    const message: RoomMessage = { key: this.#nextKey++, mine: false, senderId, senderName, text, time, ...extra };
    this.#messages.push(message);
    if (!this.#open) this.#unread++;
    this.onChange();
    return message;
  }

  sending(senderId: string, senderName: string, text: string, time: Date = new Date()): RoomMessage {
    const message: RoomMessage = { key: this.#nextKey++, mine: true, senderId, senderName, text, time, delivery: 'sending' };
    this.#messages.push(message);
    this.onChange();
    return message;
  }

  delivered(message: RoomMessage, extra: { id?: string; file?: SharedFile } = {}): void {
    message.delivery = 'sent';
    Object.assign(message, extra);
    this.onChange();
  }

  /**
   * Messages from before this user joined (or from a fetch that raced live ones), oldest first:
   * placed before what is shown, skipping those already there (same id); not counted as unread.
   */
  earlier(messages: readonly Omit<RoomMessage, 'key'>[]): void {
    const shown = new Set(this.#messages.map((m) => m.id).filter((id) => id !== undefined));
    const fresh = messages.filter((m) => m.id === undefined || !shown.has(m.id)).map((m) => ({ ...m, key: this.#nextKey++ }));
    if (fresh.length === 0) return;
    this.#messages.unshift(...fresh);
    this.onChange();
  }

  failed(message: RoomMessage, reason: string): void {
    message.delivery = 'failed';
    message.failure = reason;
    this.onChange();
  }

  /** A system line ("Ada joined") is not a chat message; a new call starts empty. */
  clear(): void {
    this.#messages.length = 0;
    this.#unread = 0;
    this.onChange();
  }

  /**
   * Whether message `index` starts a new group (another sender, or more than 5 minutes after
   * the previous one), so the view prints the sender's name only once per run.
   */
  startsGroup(index: number): boolean {
    const message = this.#messages[index];
    const previous = this.#messages[index - 1];
    if (!message || !previous) return true;
    return previous.senderId !== message.senderId || message.time.getTime() - previous.time.getTime() > 5 * 60_000;
  }
}
