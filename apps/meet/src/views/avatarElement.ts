import { hueFor, initials } from '../avatar.js';

/** Fills an `.avatar` element with a person's initials and colour. */
export function paintAvatar(el: HTMLElement, id: string, name: string): void {
  el.textContent = initials(name);
  el.style.setProperty('--hue', String(hueFor(id)));
  el.title = name;
}
