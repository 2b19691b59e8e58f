import { byId } from '../dom.js';

export type ConnectionState = 'connected' | 'reconnecting' | 'disconnected';

const LABEL: Record<ConnectionState, string> = {
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  disconnected: 'Offline',
};

/** The connection pill in the call header and the banner over the stage. */
export class ConnectionStatus {
  readonly #pill = byId('conn-pill');
  readonly #banner = byId('banner');
  readonly #text = byId('banner-text');
  readonly #action = byId<HTMLButtonElement>('banner-action');
  #onRejoin: () => void = () => undefined;

  constructor() {
    this.#action.addEventListener('click', () => this.#onRejoin());
  }

  set(state: ConnectionState, onRejoin?: () => void): void {
    if (onRejoin) this.#onRejoin = onRejoin;
    this.#pill.dataset.state = state;
    this.#pill.textContent = LABEL[state];
    this.#banner.hidden = state === 'connected';
    this.#banner.dataset.tone = state === 'reconnecting' ? 'warn' : 'error';
    this.#action.hidden = state !== 'disconnected';
    if (state === 'reconnecting') this.#text.textContent = 'Connection lost. Reconnecting… you stay in the meeting meanwhile.';
    if (state === 'disconnected') this.#text.textContent = 'You were disconnected from the meeting.';
  }

  hide(): void {
    this.#banner.hidden = true;
  }
}
