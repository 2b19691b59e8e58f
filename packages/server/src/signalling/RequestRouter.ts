import type { SessionRequest } from '@parley/protocol';
import type { ContactRelay } from '../contact/ContactRelay.js';
import { type ConversationService, isConversationRequest } from '../conversation/ConversationService.js';
import type { GroupQuota } from '../presence/GroupQuota.js';
import type { PresenceService } from '../presence/PresenceService.js';
import type { SessionManager } from '../session/SessionManager.js';
import type { UserSession } from '../session/UserSession.js';

/** Dependencies of {@link RequestRouter}. */
export interface RequestRouterDeps {
  manager: SessionManager;
  presence: PresenceService;
  groupQuota: GroupQuota;
  relay: ContactRelay;
  conversations: ConversationService;
}

/**
 * Runs a validated request of an established session and returns the answer data. Handlers
 * are synchronous: the connection answers right after, and nothing can interleave. Two
 * exceptions, both from conversations: a {@link Reply} (events that must follow the answer) and
 * a promise (answers that wait for a peer: relays, publisher offers).
 * `unregister` is not routed here: the connection answers it before ending the session.
 */
export class RequestRouter {
  readonly #deps: RequestRouterDeps;

  constructor(deps: RequestRouterDeps) {
    this.#deps = deps;
  }

  /**
   * Executes `request` for `session`.
   * @returns the answer data (undefined for none), a Reply, or a promise of the data
   * @throws ParleyError to answer with an error
   */
  handle(session: UserSession, request: SessionRequest): unknown {
    const { presence, groupQuota, manager, relay, conversations } = this.#deps;
    if (isConversationRequest(request)) return conversations.handle(session, request);
    switch (request.type) {
      case 'ping':
        return undefined;
      case 'group.join':
        groupQuota.checkJoin(session, request.group);
        presence.join(session, request.group);
        return undefined;
      case 'group.leave':
        presence.leave(session, request.group);
        return undefined;
      case 'group.subscribe':
        groupQuota.checkSubscribe(session, request.group);
        presence.subscribe(session, request.group);
        return undefined;
      case 'group.unsubscribe':
        presence.unsubscribe(session, request.group);
        return undefined;
      case 'userData.set':
        manager.setUserData(session, request.userData);
        return undefined;
      case 'contact.send':
        return relay.send(session, request);
      case 'unregister':
        throw new Error('unregister must be handled by the connection');
    }
  }
}
