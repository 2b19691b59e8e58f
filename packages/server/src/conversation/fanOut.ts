import type { UnsequencedEvent } from '@parley/protocol';
import type { Logger } from '../logging/logger.js';
import { tailOf } from '../session/ReplayBuffer.js';
import type { UserSession } from '../session/UserSession.js';

/**
 * Sends one event to many sessions, serializing it once (each session only stamps its own
 * seq on the shared tail, as presence does).
 *
 * Never throws: broadcasts run from timers (session expiry) and from other sessions' requests,
 * where an exception would either take the process down or fail the wrong request half-way.
 * An event that cannot be serialized is dropped whole with a log line; a recipient that throws
 * is logged and the others still get the event.
 * @returns false when the event was dropped
 */
export function fanOut(event: UnsequencedEvent, sessions: Iterable<UserSession>, log: Logger, except?: UserSession): boolean {
  let tail: string | null = null;
  for (const session of sessions) {
    if (session === except) continue;
    if (tail === null) {
      try {
        tail = tailOf(JSON.stringify(event));
      } catch (error) {
        log.error({ err: error, type: event.type }, 'event could not be serialized: broadcast dropped');
        return false;
      }
    }
    try {
      session.sendTail(tail);
    } catch (error) {
      log.error({ err: error, type: event.type, userId: session.userId }, 'delivery to one recipient failed');
    }
  }
  return true;
}
