import type { UnsequencedEvent } from '@parley/protocol';
import { tailOf } from '../session/ReplayBuffer.js';
import type { UserSession } from '../session/UserSession.js';

/**
 * Sends one event to many sessions, serializing it once (each session only stamps its own
 * seq on the shared tail, as presence does).
 */
export function fanOut(event: UnsequencedEvent, sessions: Iterable<UserSession>, except?: UserSession): void {
  let tail: string | null = null;
  for (const session of sessions) {
    if (session === except) continue;
    tail ??= tailOf(JSON.stringify(event));
    session.sendTail(tail);
  }
}
