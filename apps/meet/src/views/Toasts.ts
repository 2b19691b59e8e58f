import { byId, h } from '../dom.js';

/** Short notices at the top of the screen ("Ada joined"), gone after a few seconds. */
export class Toasts {
  readonly #root = byId('toasts');

  show(text: string, tone: 'info' | 'join' | 'leave' | 'error' | 'chat' = 'info', ms = 4000): void {
    const toast = h('div', { class: 'toast', 'data-tone': tone }, text);
    this.#root.append(toast);
    while (this.#root.children.length > 4) this.#root.firstElementChild?.remove();
    setTimeout(() => {
      toast.classList.add('leaving');
      setTimeout(() => toast.remove(), 300);
    }, ms);
  }

  /** Removes every toast, or only those of one tone (chat notices once the chat is open). */
  clear(tone?: string): void {
    if (tone === undefined) this.#root.replaceChildren();
    else for (const toast of this.#root.querySelectorAll(`.toast[data-tone="${tone}"]`)) toast.remove();
  }
}
