/**
 * What a session needs from the socket it is attached to. Implemented by
 * `signalling/Connection`; kept as an interface so sessions do not depend on sockets.
 */
export interface SessionTransport {
  /** Writes one text frame (already-serialized JSON). */
  sendRaw(text: string): void;
  /** Closes the socket with a WebSocket close code; safe to call twice. */
  close(code: number, reason: string): void;
}
