/**
 * Symbol keys of SDK-internal members. Symbol-keyed members stay off the apiRTC surface
 * (`Object.getOwnPropertyNames`, autocompletion, `for…in`) and apps cannot reach them by name,
 * yet SDK modules can call them across classes — which ES private fields forbid.
 */

/** `observable[EMIT](name, payload)`: emits an event on an apiRTC object from another SDK class. */
export const EMIT: unique symbol = Symbol('parley.emit');

/**
 * `Class[PARLEY_EVENTS]`: Parley extension events a class accepts in `on()` besides its apiRTC
 * `getAvailableEvents()` list, which stays exactly apiRTC's.
 */
export const PARLEY_EVENTS: unique symbol = Symbol('parley.events');

/** `contact[SET_AUTHENTICATED](flag)`: presence said whether the contact registered with a token. */
export const SET_AUTHENTICATED: unique symbol = Symbol('parley.setAuthenticated');

/** `contact[RECORD_MESSAGE](message)`: appends a received 1-1 message to the contact's history. */
export const RECORD_MESSAGE: unique symbol = Symbol('parley.recordMessage');

/** `userAgent[MEDIA_REPORTER]`: where media acquisitions report success and `userMediaError`. */
export const MEDIA_REPORTER: unique symbol = Symbol('parley.mediaReporter');

/** `userAgent[SETTINGS]`: speaker detection, stats monitoring and bandwidth settings. */
export const SETTINGS: unique symbol = Symbol('parley.settings');

/** `userAgent[SESSION_ENDED](session)`: the session closed for good; the UserAgent forgets it. */
export const SESSION_ENDED: unique symbol = Symbol('parley.sessionEnded');

/** `session[ATTACH](userId)`: the registration answered; the Session takes its id. */
export const ATTACH: unique symbol = Symbol('parley.attach');

/** `session[DROP_CONNECTION]()`: debug hook, drops the socket as a network loss would. */
export const DROP_CONNECTION: unique symbol = Symbol('parley.dropConnection');

/** `conversation[CONVERSATION_EVENT](event)`: a `conv.*` / `media.*` / `mesh.signal` event for it. */
export const CONVERSATION_EVENT: unique symbol = Symbol('parley.conversationEvent');

/** `conversation[CONVERSATION_PRESENCE](joinedIds, leftIds)`: its presence group changed. */
export const CONVERSATION_PRESENCE: unique symbol = Symbol('parley.conversationPresence');

/** `conversation[CONVERSATION_SESSION_ENDED]()`: the session closed; end everything locally. */
export const CONVERSATION_SESSION_ENDED: unique symbol = Symbol('parley.conversationSessionEnded');

/** `conversation[CONVERSATION_REJOIN]()`: re-registered; join, publish and subscribe again. */
export const CONVERSATION_REJOIN: unique symbol = Symbol('parley.conversationRejoin');
