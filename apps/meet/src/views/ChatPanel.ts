import { byId, clock, h } from '../dom.js';
import type { RoomChat, RoomMessage } from '../room-chat.js';

/** The room chat panel: messages of everyone, composer, unread badge on the control bar. */
export class ChatPanel {
  readonly #list = byId<HTMLOListElement>('chat-messages');
  readonly #form = byId<HTMLFormElement>('chat-form');
  readonly #input = byId<HTMLInputElement>('chat-input');
  readonly #badge = byId('chat-badge');
  readonly #file = byId<HTMLInputElement>('chat-file');

  constructor(
    private readonly chat: RoomChat,
    onSend: (text: string) => void,
    onFile: (file: File) => void,
  ) {
    byId('chat-attach').addEventListener('click', () => this.#file.click());
    this.#file.addEventListener('change', () => {
      const file = this.#file.files?.[0];
      this.#file.value = '';
      if (file) onFile(file);
    });
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.#input.value.trim();
      if (text === '') return;
      this.#input.value = '';
      onSend(text);
    });
  }

  focus(): void {
    this.#input.focus();
  }

  render(): void {
    const messages = this.chat.messages();
    const stick = this.#list.scrollHeight - this.#list.scrollTop - this.#list.clientHeight < 60;
    this.#list.replaceChildren(
      ...(messages.length === 0
        ? [h('li', { class: 'messages-empty' }, 'Messages sent here are seen by everyone in the call.')]
        : messages.map((m, i) => this.#message(m, this.chat.startsGroup(i)))),
    );
    if (stick) this.#list.scrollTop = this.#list.scrollHeight;
    const unread = this.chat.unread;
    this.#badge.hidden = unread === 0;
    this.#badge.textContent = unread > 9 ? '9+' : String(unread);
    this.#badge.setAttribute('aria-label', `${unread} unread`);
  }

  #message(m: RoomMessage, first: boolean): HTMLLIElement {
    const meta =
      m.mine && m.delivery === 'failed'
        ? h('span', { class: 'meta failed', title: m.failure ?? '' }, 'Not delivered')
        : h('span', { class: 'meta' }, clock(m.time), m.mine && m.delivery === 'sending' ? ' · sending' : '');
    return h(
      'li',
      { class: `message ${m.mine ? 'mine' : 'theirs'}${first ? ' first' : ''}`, 'data-delivery': m.delivery },
      first ? h('span', { class: 'sender' }, m.mine ? 'You' : m.senderName) : null,
      m.file
        ? h(
            'p',
            {},
            h('a', { class: 'file', href: m.file.url, download: m.file.name, target: '_blank', rel: 'noopener' }, `📎 ${m.file.name}`),
            ` (${size(m.file.size)})`,
          )
        : h('p', {}, m.text),
      meta,
    );
  }
}

/** A byte count for people: 12 KB, 3.4 MB. */
function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
