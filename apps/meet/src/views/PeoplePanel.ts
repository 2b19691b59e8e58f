import type { MemberState } from '../call-model.js';
import { byId, h } from '../dom.js';
import { paintAvatar } from './avatarElement.js';
import { svgUse } from './Stage.js';

/** One row: a participant and their microphone/camera state. */
export interface PeopleRow {
  id: string;
  name: string;
  me: boolean;
  state: MemberState;
}

/** The participant list panel (and the count on the control bar). */
export class PeoplePanel {
  readonly #list = byId<HTMLUListElement>('people-list');
  readonly #count = byId('people-count');
  readonly #badge = byId('people-badge');

  /** `remove`: given to moderators, adds a "Remove" button to the other participants. */
  render(rows: readonly PeopleRow[], remove?: (row: PeopleRow) => void): void {
    this.#count.textContent = String(rows.length);
    this.#badge.textContent = String(rows.length);
    this.#list.replaceChildren(...rows.map((row) => this.#row(row, remove)));
  }

  #row(row: PeopleRow, remove: ((row: PeopleRow) => void) | undefined): HTMLLIElement {
    const avatar = h('span', { class: 'avatar' });
    paintAvatar(avatar, row.id, row.name);
    const icon = (id: string, label: string, off: boolean): HTMLElement =>
      h('span', { class: `state${off ? ' off' : ''}`, title: label, 'aria-label': label, role: 'img' }, svgUse(id));
    return h(
      'li',
      { class: 'person', 'data-contact-id': row.id, 'data-audio': row.state.audioMuted ? 'muted' : 'on', 'data-video': row.state.videoMuted ? 'off' : 'on' },
      avatar,
      h(
        'span',
        { class: 'person-name' },
        row.name,
        row.me ? h('small', {}, ' (you)') : null,
        row.state.sharing ? h('small', { class: 'sharing' }, ' · presenting') : null,
      ),
      icon(row.state.audioMuted ? 'i-mic-off' : 'i-mic', row.state.audioMuted ? 'Microphone off' : 'Microphone on', row.state.audioMuted),
      icon(row.state.videoMuted ? 'i-cam-off' : 'i-cam', row.state.videoMuted ? 'Camera off' : 'Camera on', row.state.videoMuted),
      remove && !row.me
        ? h('button', { class: 'btn btn-small btn-dark', type: 'button', 'data-action': 'remove', onclick: () => remove(row) }, 'Remove')
        : null,
    );
  }
}
