/**
 * apiRTC error codes (0–17). They travel on the wire in error answers and are what the SDK
 * puts in `ApiRTCError.code`, so their numeric values are a compatibility contract.
 */
export const ErrorCode = {
  OTHER: 0,
  INVALID_CREDENTIALS: 1,
  NETWORK_UNAVAILABLE: 2,
  SERVER_UNAVAILABLE: 3,
  UNAUTHORIZED: 4,
  INITIALISATION_FAILED: 5,
  SESSION_ALREADY_ON: 6,
  REGISTRATION_URI_INVALID: 7,
  NOT_FOUND: 8,
  BAD_PARAMETER: 9,
  INVITATION_STATE_INVALID: 10,
  TIMED_OUT: 11,
  STREAM_RECORD: 12,
  HTTP: 13,
  NOT_ALLOWED: 14,
  OPERATION_CANCELED: 15,
  WRONG_STATE: 16,
  ON_SAVE: 17,
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The `{code, message}` pair carried by every error answer. */
export interface WireError {
  code: ErrorCode;
  message: string;
}

/**
 * An error with a stable apiRTC code. Thrown inside the server and turned into an error
 * answer at the connection edge; the SDK rebuilds it from the wire.
 */
export class ParleyError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
  }

  toWire(): WireError {
    return { code: this.code, message: this.message };
  }
}

/**
 * WebSocket close codes used by the server (4000–4999 is the range RFC 6455 leaves to
 * applications). The SDK reads them to decide between resuming and giving up.
 */
export const CloseCode = {
  /** Normal end after `unregister`. Do not reconnect. */
  UNREGISTERED: 4000,
  /** The same identified user registered from elsewhere and took over. Do not reconnect. */
  REPLACED: 4001,
  /** Too many invalid messages. Reconnecting is allowed but the client is probably broken. */
  PROTOCOL_ABUSE: 4002,
  /** Registration or resume was refused. */
  AUTH_FAILED: 4003,
  /** No register/resume arrived in time after the socket opened. */
  HANDSHAKE_TIMEOUT: 4004,
  /** Server is shutting down; clients reconnect with backoff. */
  SERVER_SHUTDOWN: 4005,
  /** Per-connection rate limit kept being exceeded. */
  RATE_LIMITED: 4006,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
