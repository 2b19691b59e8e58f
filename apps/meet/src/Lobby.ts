import { ChatStore } from './chat-store.js';
import { inviteLink, type MeetConfig } from './config.js';
import { byId } from './dom.js';
import { personOf, sortPeople, type Availability, type Person } from './people.js';
import { ChatView } from './views/ChatView.js';
import { ConnectionStatus } from './views/ConnectionStatus.js';
import { paintAvatar } from './views/avatarElement.js';
import { PeopleView, type PeopleRow } from './views/PeopleView.js';

/**
 * The lobby once registered: live presence of the group, own status, one-to-one chat and the
 * connection state. Everything comes from Session events of the public SDK.
 */
export class Lobby {
  readonly #chats = new ChatStore();
  readonly #people: PeopleView;
  readonly #chat: ChatView;
  readonly #connection: ConnectionStatus;
  /** Everyone ever seen, by id: people who left stay listed while a chat with them exists. */
  readonly #known = new Map<string, Person>();
  #present = new Set<string>();
  #selected: string | null = null;
  #closed = false;

  constructor(
    private readonly ua: apiRTC.UserAgent,
    private readonly session: apiRTC.Session,
    private readonly group: string,
    config: MeetConfig,
    onRejoin: () => void,
  ) {
    this.#people = new PeopleView(this.#chats, (id) => this.select(id));
    this.#chat = new ChatView((text) => void this.#send(text));
    this.#connection = new ConnectionStatus(onRejoin);
    this.#chats.onChange = () => this.#render();

    byId('group-chip').textContent = group;
    byId<HTMLInputElement>('invite-link').value = inviteLink(location.href, { apiKey: config.apiKey, group });
    byId('copy-invite').onclick = () => void navigator.clipboard?.writeText(byId<HTMLInputElement>('invite-link').value);
    for (const status of ['available', 'busy'] as const) {
      byId(`status-${status}`).onclick = () => this.setStatus(status);
    }
    this.#paintMe();
    this.#connection.set('connected');

    session.on('contactListUpdate', () => this.#refreshPresence());
    session.on('contactMessage', (event) => {
      const id = event.sender.getId();
      if (!this.#known.has(id)) this.#known.set(id, personOf(event.sender));
      this.#chats.received(id, event.content, event.time instanceof Date ? event.time : new Date());
    });
    session.on('reconnecting', () => this.#connection.set('reconnecting'));
    session.on('reconnection', () => {
      this.#connection.set('connected');
      this.#refreshPresence();
    });
    session.on('disconnect', () => this.#connection.set('disconnected'));
    this.#refreshPresence();
  }

  /** Opens the chat with a person. */
  select(id: string): void {
    this.#selected = id;
    this.#chats.open(id);
    this.#render();
  }

  /** Publishes the user's availability through user data. */
  setStatus(status: Availability): void {
    this.ua.getUserData().setProp('status', status).setToSession();
    this.#paintMe();
  }

  /** Stops reacting to SDK events (the Session is gone). */
  close(): void {
    this.#closed = true;
    this.#connection.hide();
  }

  #paintMe(): void {
    const id = this.session.getId();
    const name = this.ua.getUsername();
    paintAvatar(byId('me-avatar'), id, name);
    byId('me-name').textContent = name;
    const status = this.ua.getUserData().get('status') === 'busy' ? 'busy' : 'available';
    for (const s of ['available', 'busy']) byId(`status-${s}`).setAttribute('aria-checked', String(s === status));
  }

  #refreshPresence(): void {
    if (this.#closed) return;
    const members = this.session.getContactsArray(this.group).map(personOf);
    this.#present = new Set(members.map((p) => p.id));
    for (const person of members) this.#known.set(person.id, person);
    this.#render();
  }

  #render(): void {
    if (this.#closed) return;
    const rows: PeopleRow[] = sortPeople([...this.#known.values()])
      .map((person) => ({ person, present: this.#present.has(person.id) }))
      // People who left stay only while there is a conversation to look back at.
      .filter((row) => row.present || this.#chats.messages(row.person.id).length > 0 || row.person.id === this.#selected);
    this.#people.render(rows, this.#selected);
    const selected = this.#selected ? (this.#known.get(this.#selected) ?? null) : null;
    this.#chat.show(selected, selected !== null && this.#present.has(selected.id), selected ? this.#chats.messages(selected.id) : []);
    const unread = this.#chats.totalUnread();
    document.title = unread > 0 ? `(${unread}) Parley Meet` : 'Parley Meet';
  }

  async #send(text: string): Promise<void> {
    const id = this.#selected;
    if (!id) return;
    const message = this.#chats.sending(id, text);
    try {
      await this.session.getOrCreateContact(id).sendMessage(text);
      this.#chats.delivered(id, message);
    } catch (error) {
      const reason = (error as Partial<apiRTC.ApiRTCError>).error?.message ?? String(error);
      this.#chats.failed(id, message, reason);
    }
  }
}
