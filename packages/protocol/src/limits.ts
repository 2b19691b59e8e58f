/** Defaults shared by server and SDK. The server may be configured otherwise and tells the SDK. */
export const Defaults = {
  /** How long the server keeps a disconnected session resumable, in ms. */
  resumeWindowMs: 10_000,
  /** Largest accepted inbound text frame, in bytes. Larger ones get an error answer. */
  maxMessageBytes: 64 * 1024,
  /** Largest serialized user data, in bytes. */
  maxUserDataBytes: 16 * 1024,
  /** Interval of the SDK's application-level ping, in ms. */
  heartbeatMs: 20_000,
  /** How long a contact delivery waits for the server's acknowledgement, in ms (apiRTC value). */
  deliveryTimeoutMs: 10_000,
} as const;

/** Bounds on identifiers, checked by the schemas. */
export const Bounds = {
  userId: 128,
  groupName: 256,
  apiKey: 256,
  token: 8192,
  eventName: 256,
  groupsPerRequest: 100,
  /*
   * Free-form fields, in UTF-8 bytes of their JSON text (checked by `bounded()`); a larger one
   * is refused with code 9 "<field>: larger than N bytes as JSON". Chosen so that a normal use
   * never meets them while one field cannot fill a whole frame: what the server stores (stream
   * contexts, user data) is copied to every participant and every replay buffer.
   */
  /** `conv.publish` `context` (apiRTC publish option), stored and sent with every stream list. */
  streamContext: 4 * 1024,
  /** Text of `conv.message` and of a contact message. */
  messageContent: 16 * 1024,
  /** `conv.message` `metadata`. */
  messageMetadata: 4 * 1024,
  /** `content` of `conv.data`, `conv.customEvent`, and contact data / custom events. */
  dataContent: 16 * 1024,
  /** `conv.relay` `args` (constraints, options). */
  relayArgs: 4 * 1024,
  /** `conv.relayAnswer` `result` (settings, capabilities, constraints). */
  relayResult: 16 * 1024,
  /** `conv.constraintsChanged` `constraints`. */
  constraints: 4 * 1024,
  /**
   * User data (register, `userData.set`): the protocol's ceiling; the server's
   * `limits.maxUserDataBytes` (default 16 KiB) may only be lower.
   */
  userData: 64 * 1024,
} as const;
