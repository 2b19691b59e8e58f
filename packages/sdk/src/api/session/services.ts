import type { Engine } from '../../engine/Engine.js';
import { DELIVERY_TIMEOUT_MS, type Contact, type ContactHost, type ContactPeers } from '../Contact.js';
import type { ContactCatalog } from '../ContactCatalog.js';
import type { ConversationContext } from '../conversation/context.js';

/** What a Session lends to its contacts: presence of both namespaces, and 1-1 delivery through `engine`. */
export function contactServices(engine: Engine, contacts: () => ContactCatalog, peers: () => ContactPeers): ContactHost {
  const { presence, conversationPresence } = engine;
  return {
    inGroup: (id, group) => presence.isIn(id, group) || conversationPresence.isIn(id, group),
    isOnline: (id) => presence.isOnline(id) || conversationPresence.isOnline(id),
    deliver: async (to, delivery) => {
      const data = await engine.request({ type: 'contact.send', to, ...delivery }, { timeoutMs: DELIVERY_TIMEOUT_MS });
      return { uuid: data?.uuid ?? 0 };
    },
    self: () => contacts().self(),
    history: async (id, page) => {
      const data = await engine.request({ type: 'contact.history', contact: id, ...page });
      return data ?? { messages: [], more: false };
    },
    peers,
  };
}

/** What a Session lends to its conversations (the Session side of {@link ConversationContext}). */
export interface ConversationSessionSide {
  selfId(): string;
  contact(id: string): Contact;
  sessionCustomEvent: ConversationContext['sessionCustomEvent'];
  quality: ConversationContext['quality'];
  invite: ConversationContext['invite'];
}

/** The session services a joined conversation uses: requests, members of its name, and the Session's own identity and events. */
export function conversationServices(engine: Engine, session: ConversationSessionSide): ConversationContext {
  return {
    request: (body, options) => engine.request(body, options),
    selfId: () => session.selfId(),
    baseUrl: () => engine.baseUrl,
    iceServers: () => engine.iceServers,
    contact: (id) => session.contact(id),
    members: (name) => engine.conversationPresence.membersOf(name).filter((id) => id !== session.selfId()),
    forgetGroup: (name) => engine.conversationPresence.forgetGroup(name),
    sessionCustomEvent: (payload) => session.sessionCustomEvent(payload),
    quality: session.quality,
    invite: (contact, conversation, opts) => session.invite(contact, conversation, opts),
  };
}
