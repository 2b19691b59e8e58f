import { byId, h } from '../dom.js';
import { paintAvatar } from './avatarElement.js';

/** One user waiting to be let in. */
export interface WaitingRow {
  id: string;
  name: string;
}

/** The moderator's waiting room, at the top of the people panel: admit or deny each user. */
export class WaitingRoomPanel {
  readonly #section = byId('waiting-room');
  readonly #list = byId<HTMLUListElement>('waiting-list');
  readonly #count = byId('waiting-count');

  render(rows: readonly WaitingRow[], decide: (id: string, admit: boolean) => void): void {
    this.#section.hidden = rows.length === 0;
    this.#count.textContent = String(rows.length);
    this.#list.replaceChildren(
      ...rows.map((row) => {
        const avatar = h('span', { class: 'avatar' });
        paintAvatar(avatar, row.id, row.name);
        return h(
          'li',
          { class: 'person', 'data-waiting-id': row.id },
          avatar,
          h('span', { class: 'person-name' }, row.name),
          h(
            'span',
            { class: 'person-actions' },
            h('button', { class: 'btn btn-small btn-primary', type: 'button', 'data-action': 'admit', onclick: () => decide(row.id, true) }, 'Admit'),
            h('button', { class: 'btn btn-small btn-dark', type: 'button', 'data-action': 'deny', onclick: () => decide(row.id, false) }, 'Deny'),
          ),
        );
      }),
    );
  }

  clear(): void {
    this.#section.hidden = true;
    this.#list.replaceChildren();
  }
}
