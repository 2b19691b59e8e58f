import type { ServerMessage } from '@parley/protocol';

/**
 * Checks the envelope of a parsed server frame: an answer (`re` + `ok` + `data` or `error`), a
 * protocol error notice, or an event (`type` + `seq`). Returns the message, or why it is dropped.
 *
 * Why not the protocol's zod schemas, as the server uses for client frames: they would put zod
 * (a third of the SDK: 88 KiB gzip with it, 57 without) into every page, to check frames that come from the server
 * the page chose to trust, and which builds them against the protocol's TypeScript types
 * (`UnsequencedEvent`, `ResultOf`), so their shapes are checked when the server compiles. This is
 * trust, not validation: a server bug in a field now reaches the SDK's handlers instead of being
 * dropped with a warning. The client still refuses anything that is not a
 * well-formed envelope, so a stray or truncated frame cannot reach the request tracker or an
 * event handler; the fields of each event type are taken as the protocol defines them.
 */
export function decodeServerFrame(json: unknown): ServerMessage | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'not an object';
  const frame = json as Record<string, unknown>;
  const type = frame['type'];
  if (typeof type !== 'string') return 'no type';
  if (type === 'answer') {
    if (!Number.isSafeInteger(frame['re'])) return 'answer without a request id';
    if (frame['ok'] === true) return json as ServerMessage;
    if (frame['ok'] === false) return isErrorBody(frame['error']) ? (json as ServerMessage) : 'error answer without {code, message}';
    return 'answer without ok';
  }
  if (type === 'protocolError') return isErrorBody(frame['error']) ? (json as ServerMessage) : 'protocolError without {code, message}';
  if (!Number.isSafeInteger(frame['seq'])) return `event ${type.slice(0, 40)} without seq`;
  return json as ServerMessage;
}

function isErrorBody(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return Number.isInteger(body['code']) && typeof body['message'] === 'string';
}
