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
} as const;
