/**
 * Symbol keys of SDK-internal members. Symbol-keyed members stay off the apiRTC surface
 * (`Object.getOwnPropertyNames`, autocompletion, `for…in`) and apps cannot reach them by name,
 * yet SDK modules can call them across classes — which ES private fields forbid.
 */

/** `observable[EMIT](name, payload)`: emits an event on an apiRTC object from another SDK class. */
export const EMIT: unique symbol = Symbol('parley.emit');

/** `contact[RECORD_MESSAGE](message)`: appends a received 1-1 message to the contact's history. */
export const RECORD_MESSAGE: unique symbol = Symbol('parley.recordMessage');
