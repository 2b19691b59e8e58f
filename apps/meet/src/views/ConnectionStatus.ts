import { byId } from '../dom.js';

export type ConnectionState = 'connected' | 'reconnecting' | 'disconnected';

const LABEL: Record<ConnectionState, string> = {
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  disconnected: 'Offline',
};

/** The connection pill in the top bar and the banner under it. */
export class ConnectionStatus {
  readonly #pill = byId('conn-pill');
  readonly #banner = byId('banner');
  readonly #text = byId('banner-text');
  readonly #action = byId<HTMLButtonElement>('banner-action');

  constructor(onRejoin: () => void) {
    this.#action.addEventListener('click', onRejoin);
  }

  set(state: ConnectionState): void {
    this.#pill.dataset.state = state;
    this.#pill.textContent = LABEL[state];
    this.#banner.hidden = state === 'connected';
    this.#banner.dataset.tone = state === 'reconnecting' ? 'warn' : 'error';
    this.#action.hidden = state !== 'disconnected';
    if (state === 'reconnecting') this.#text.textContent = 'Connection lost. Reconnecting… you stay in the lobby meanwhile.';
    if (state === 'disconnected') this.#text.textContent = 'You are disconnected from the lobby.';
  }

  hide(): void {
    this.#banner.hidden = true;
  }
}
