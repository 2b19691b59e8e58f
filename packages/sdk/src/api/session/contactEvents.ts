import type { Engine } from '../../engine/Engine.js';
import type { ContactCatalog } from '../ContactCatalog.js';
import { EMIT, RECORD_MESSAGE } from '../internal.js';
import type { SessionEvents } from './events.js';

/** The Session events a contact delivery raises (the Session's own `emit`, one function per event). */
export interface ContactEventSink {
  contactData(payload: SessionEvents['contactData']): void;
  contactMessage(payload: SessionEvents['contactMessage']): void;
  customEvent(payload: SessionEvents['customEvent']): void;
}

/**
 * Turns the engine's contact deliveries (data, messages, custom events from one user) into the
 * Session event and the sender Contact's own event, in that order.
 */
export function relayContactEvents(engine: Engine, contacts: ContactCatalog, session: ContactEventSink): void {
  engine.on('contactData', (e) => {
    const sender = contacts.getOrCreate(e.from);
    session.contactData({ sender, content: e.content });
    sender[EMIT]('data', e.content);
  });
  engine.on('contactMessage', (e) => {
    const sender = contacts.getOrCreate(e.from);
    const time = new Date(e.time);
    sender[RECORD_MESSAGE]({ content: e.content, sender, time, uuid: e.uuid });
    session.contactMessage({ sender, content: e.content, uuid: e.uuid, time });
    sender[EMIT]('message', { content: e.content, uuid: e.uuid, time });
  });
  engine.on('contactCustomEvent', (e) => {
    const sender = contacts.getOrCreate(e.from);
    session.customEvent({ event: e.event, content: e.content, sender });
    sender[EMIT]('customEvent', { event: e.event, content: e.content });
  });
}
