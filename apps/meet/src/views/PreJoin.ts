import { cleanName, cleanRoom, DEMO_API_KEY, NAME_STORAGE_KEY, randomRoomName, type MeetConfig } from '../config.js';
import { byId } from '../dom.js';
import type { LocalMedia } from './LocalMedia.js';

/** The pre-join form: name (remembered), room (from ?room= or a friendly random one). */
export class PreJoin {
  readonly #view = byId('prejoin-view');
  readonly #form = byId<HTMLFormElement>('join-form');
  readonly #name = byId<HTMLInputElement>('name-input');
  readonly #room = byId<HTMLInputElement>('room-input');
  readonly #moderated = byId<HTMLInputElement>('moderated-input');
  readonly #button = byId<HTMLButtonElement>('join-btn');
  readonly #error = byId('join-error');

  constructor(config: MeetConfig, media: LocalMedia, onJoin: (name: string, room: string, moderated: boolean) => void) {
    this.#name.value = config.name || readStoredName();
    this.#room.value = config.room || randomRoomName();
    this.#moderated.checked = config.moderated;
    media.setIdentity(this.#name.value);
    this.#name.addEventListener('input', () => media.setIdentity(cleanName(this.#name.value)));
    byId('key-hint').textContent = config.apiKey === DEMO_API_KEY ? 'Using the demo API key.' : `Using API key ${config.apiKey}.`;
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = cleanName(this.#name.value);
      const room = cleanRoom(this.#room.value);
      if (name === '') {
        this.fail('Please enter your name.');
        this.#name.focus();
        return;
      }
      if (room === '') {
        this.fail('Please enter a room name (letters, digits and dashes).');
        this.#room.focus();
        return;
      }
      this.#room.value = room;
      try {
        localStorage.setItem(NAME_STORAGE_KEY, name);
      } catch {
        /* storage disabled: the name is just not remembered */
      }
      onJoin(name, room, this.#moderated.checked);
    });
    if (this.#name.value === '') this.#name.focus();
    else this.#button.focus();
  }

  get room(): string {
    return cleanRoom(this.#room.value);
  }

  show(): void {
    this.#view.hidden = false;
    this.busy(false);
    document.title = 'Parley Meet';
  }

  hide(): void {
    this.#view.hidden = true;
  }

  busy(on: boolean): void {
    this.#button.disabled = on;
    this.#button.textContent = on ? 'Joining…' : 'Join meeting';
    if (on) this.#error.hidden = true;
  }

  fail(message: string): void {
    this.busy(false);
    this.#error.hidden = false;
    this.#error.textContent = message;
  }
}

function readStoredName(): string {
  try {
    return cleanName(localStorage.getItem(NAME_STORAGE_KEY) ?? '');
  } catch {
    return '';
  }
}
