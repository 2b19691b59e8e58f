import type { ChatStore } from '../chat-store.js';
import { byId, h } from '../dom.js';
import type { Person } from '../people.js';
import { paintAvatar } from './avatarElement.js';

/** One row of the people list: a person and whether they are still in the lobby. */
export interface PeopleRow {
  person: Person;
  present: boolean;
}

/** The list of people in the lobby (plus people you chatted with who left). */
export class PeopleView {
  readonly #list = byId<HTMLUListElement>('people-list');
  readonly #empty = byId('people-empty');
  readonly #count = byId('people-count');

  constructor(
    private readonly chats: ChatStore,
    private readonly onSelect: (id: string) => void,
  ) {}

  render(rows: PeopleRow[], selected: string | null): void {
    const present = rows.filter((r) => r.present).length;
    this.#count.textContent = String(present);
    this.#empty.hidden = rows.length > 0;
    this.#list.hidden = rows.length === 0;
    this.#list.replaceChildren(...rows.map((row) => this.#row(row, row.person.id === selected)));
  }

  #row({ person, present }: PeopleRow, selected: boolean): HTMLLIElement {
    const avatar = h('span', { class: 'avatar' });
    paintAvatar(avatar, person.id, person.name);
    const unread = this.chats.unread(person.id);
    const statusText = present ? (person.status === 'busy' ? 'Busy' : 'Available') : 'Left the lobby';
    const button = h(
      'button',
      {
        type: 'button',
        class: 'person',
        'aria-current': selected ? 'true' : undefined,
        onclick: () => this.onSelect(person.id),
      },
      h('span', { class: 'avatar-wrap' }, avatar, h('i', { class: `dot dot-${present ? person.status : 'offline'}` })),
      h('span', { class: 'person-text' }, h('span', { class: 'person-name' }, person.name), h('span', { class: 'person-status' }, statusText)),
      unread > 0 ? h('span', { class: 'badge', 'aria-label': `${unread} unread` }, String(unread)) : null,
    );
    return h('li', { 'data-person-id': person.id, 'data-status': present ? person.status : 'offline' }, button);
  }
}
