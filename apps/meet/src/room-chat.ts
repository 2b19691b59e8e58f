/** Delivery state of a message this user sent. */
export type Delivery = 'sending' | 'sent' | 'failed';

export interface RoomMessage {
  /** Local key (unique within the store). */
  key: number;
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

  received(senderId: string, senderName: string, text: string, time: Date): RoomMessage {
    const message: RoomMessage = { key: this.#nextKey++, mine: false, senderId, senderName, text, time };
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

  delivered(message: RoomMessage): void {
    message.delivery = 'sent';
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
