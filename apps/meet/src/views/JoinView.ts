import { cleanGroup, cleanName, DEMO_API_KEY, type MeetConfig } from '../config.js';
import { byId } from '../dom.js';

/** The join form: name and optional lobby (presence group). */
export class JoinView {
  readonly #view = byId('join-view');
  readonly #form = byId<HTMLFormElement>('join-form');
  readonly #name = byId<HTMLInputElement>('name-input');
  readonly #group = byId<HTMLInputElement>('group-input');
  readonly #button = byId<HTMLButtonElement>('join-btn');
  readonly #error = byId('join-error');

  constructor(config: MeetConfig, onJoin: (name: string, group: string) => void) {
    this.#name.value = config.name;
    if (config.group !== 'default') this.#group.value = config.group;
    byId('key-hint').textContent =
      config.apiKey === DEMO_API_KEY ? 'Using the demo API key.' : `Using API key ${config.apiKey}.`;
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = cleanName(this.#name.value);
      if (name === '') {
        this.fail('Please enter your name.');
        this.#name.focus();
        return;
      }
      onJoin(name, cleanGroup(this.#group.value));
    });
  }

  show(): void {
    this.#view.hidden = false;
    this.busy(false);
    this.#name.focus();
  }

  hide(): void {
    this.#view.hidden = true;
  }

  busy(on: boolean): void {
    this.#button.disabled = on;
    this.#button.textContent = on ? 'Joining…' : 'Join lobby';
    if (on) this.#error.hidden = true;
  }

  fail(message: string): void {
    this.busy(false);
    this.#error.hidden = false;
    this.#error.textContent = message;
  }
}
