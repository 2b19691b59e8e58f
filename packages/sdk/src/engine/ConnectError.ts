/** Why {@link Engine.connect} failed; `register()` maps each kind to its apiRTC rejection. */
export type ConnectFailure =
  /** The server lookup never succeeded → code 0 "Could not get preferred CCS". */
  | 'lookup'
  /** The WebSocket could not be opened or died during the handshake → code 5. */
  | 'network'
  /** The server answered the registration with an error → code 5 with its message. */
  | 'refused'
  /** The engine was closed (unregister) while connecting. */
  | 'aborted';

/** Rejection value of {@link Engine.connect}. */
export class ConnectError extends Error {
  readonly kind: ConnectFailure;

  constructor(kind: ConnectFailure, message: string) {
    super(message);
    this.name = 'ConnectError';
    this.kind = kind;
  }
}
