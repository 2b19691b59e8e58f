import type { ChatMessage } from '../chat-store.js';
import { byId, clock, h } from '../dom.js';
import type { Person } from '../people.js';
import { paintAvatar } from './avatarElement.js';

/** The one-to-one chat with the selected person. */
export class ChatView {
  readonly #placeholder = byId('chat-placeholder');
  readonly #chat = byId('chat');
  readonly #avatar = byId('chat-avatar');
  readonly #name = byId('chat-name');
  readonly #status = byId('chat-status');
  readonly #messages = byId<HTMLOListElement>('messages');
  readonly #form = byId<HTMLFormElement>('composer');
  readonly #input = byId<HTMLInputElement>('composer-input');
  readonly #send = byId<HTMLButtonElement>('send-btn');
  #shownFor: string | null = null;

  constructor(onSend: (text: string) => void) {
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.#input.value.trim();
      if (text === '') return;
      this.#input.value = '';
      onSend(text);
    });
  }

  /** Shows the thread with `person` (null: the placeholder). */
  show(person: Person | null, present: boolean, messages: readonly ChatMessage[]): void {
    this.#placeholder.hidden = person !== null;
    this.#chat.hidden = person === null;
    if (!person) {
      this.#shownFor = null;
      return;
    }
    const switched = this.#shownFor !== person.id;
    this.#shownFor = person.id;
    paintAvatar(this.#avatar, person.id, person.name);
    this.#name.textContent = person.name;
    this.#status.textContent = present ? (person.status === 'busy' ? 'Busy, may answer later' : 'Available') : 'Left the lobby';
    this.#input.disabled = !present;
    this.#send.disabled = !present;
    this.#input.placeholder = present ? `Message ${person.name}…` : `${person.name} left the lobby`;

    const stick = switched || this.#messages.scrollHeight - this.#messages.scrollTop - this.#messages.clientHeight < 40;
    this.#messages.replaceChildren(
      ...(messages.length === 0
        ? [h('li', { class: 'messages-empty muted' }, `Say hello to ${person.name}.`)]
        : messages.map((m) => this.#message(m))),
    );
    if (stick) this.#messages.scrollTop = this.#messages.scrollHeight;
    if (switched && present) this.#input.focus();
  }

  #message(m: ChatMessage): HTMLLIElement {
    const meta =
      m.mine && m.delivery === 'failed'
        ? h('span', { class: 'meta failed', title: m.failure ?? '' }, 'Not delivered')
        : h('span', { class: 'meta' }, clock(m.time), m.mine && m.delivery === 'sending' ? ' · sending' : '');
    return h('li', { class: `message ${m.mine ? 'mine' : 'theirs'}`, 'data-delivery': m.delivery }, h('p', {}, m.text), meta);
  }
}
