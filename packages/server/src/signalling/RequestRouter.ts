import type { SessionRequest } from '@parley/protocol';
import type { ContactRelay } from '../contact/ContactRelay.js';
import type { PeerRelay } from '../contact/PeerRelay.js';
import type { ConversationService } from '../conversation/ConversationService.js';
import type { HistoryService } from '../history/HistoryService.js';
import type { CloudMediaService } from '../media-store/CloudMediaService.js';
import type { GroupQuota } from '../presence/GroupQuota.js';
import { presenceHandlers } from '../presence/presenceHandlers.js';
import type { PresenceService } from '../presence/PresenceService.js';
import type { RecordingService } from '../recording/RecordingService.js';
import type { Handled, HandlerTable, RequestHandler, SessionRequestType } from '../session/RequestHandler.js';
import type { SessionManager } from '../session/SessionManager.js';
import type { UserSession } from '../session/UserSession.js';

/** Dependencies of {@link RequestRouter}. */
export interface RequestRouterDeps {
  manager: SessionManager;
  presence: PresenceService;
  groupQuota: GroupQuota;
  relay: ContactRelay;
  peers: PeerRelay;
  conversations: ConversationService;
  recordings: RecordingService;
  history: HistoryService;
  cloudMedia: CloudMediaService;
  /** Told how each request ended and how long its answer took (the `/metrics` request histogram). */
  observe?: (type: RoutedRequestType, outcome: 'ok' | 'error', seconds: number) => void;
  /** Conversations placed on other nodes (cluster); absent on a single node. */
  proxy?: ConversationRouting;
}

/** Where a request about a conversation runs (cluster/ConversationProxy). */
export interface ConversationRouting {
  /** Runs `local` when the conversation is here, else forwards `request` to its node. */
  route(session: UserSession, request: SessionRequest & { conversation: string }, local: () => unknown): unknown;
}

/** Request types the router runs: all but `unregister`, which the connection answers before ending the session. */
export type RoutedRequestType = Exclude<SessionRequestType, 'unregister'>;

/**
 * Runs a validated request of an established session through one handler per request type,
 * gathered from the services. Handlers are synchronous: the connection answers right after, and
 * nothing can interleave. Two exceptions, both from conversations: a Reply (events that must
 * follow the answer) and a promise (answers that wait for a peer: relays, publisher offers).
 */
export class RequestRouter {
  readonly #handlers: HandlerTable<RoutedRequestType>;
  readonly #observe: RequestRouterDeps['observe'];
  readonly #proxy: ConversationRouting | undefined;

  constructor(deps: RequestRouterDeps) {
    this.#observe = deps.observe;
    this.#proxy = deps.proxy;
    const { presence, groupQuota, manager, relay, peers, conversations, recordings, history, cloudMedia } = deps;
    this.#handlers = {
      ping: () => undefined,
      'userData.set': (session, request) => manager.setUserData(session, request.userData),
      'ice.servers': (session) => manager.iceServers(session),
      ...presenceHandlers(presence, groupQuota),
      ...relay.handlers,
      ...peers.handlers,
      ...conversations.handlers,
      ...recordings.handlers,
      ...history.handlers,
      ...cloudMedia.handlers,
    };
  }

  /**
   * Executes `request` for `session`.
   * @returns the answer data (undefined for none), a Reply, or a promise of the data
   * @throws ParleyError to answer with an error
   */
  handle<T extends RoutedRequestType>(session: UserSession, request: SessionRequest & { type: T }): Handled<T> {
    // Every request about a conversation names it in a top-level `conversation` field.
    const { conversation } = request as { conversation?: unknown };
    if (this.#proxy && typeof conversation === 'string') {
      // The proxy answers as the local handler would (same data, Reply or promise of them).
      return this.#proxy.route(session, { ...request, conversation }, () => this.handleLocal<T>(session, request)) as Handled<T>;
    }
    return this.handleLocal<T>(session, request);
  }

  /** Executes `request` on this node, never forwarding it (the proxy's own entry point). */
  handleLocal<T extends RoutedRequestType>(session: UserSession, request: SessionRequest & { type: T }): Handled<T> {
    // The table pairs each type with its handler; TypeScript cannot correlate the lookup with the
    // request's own type, hence the one cast.
    const handler = this.#handlers[request.type] as RequestHandler<T>;
    const observe = this.#observe;
    if (!observe) return handler(session, request as Parameters<RequestHandler<T>>[1]);
    const started = performance.now();
    const done = (outcome: 'ok' | 'error'): void => observe(request.type, outcome, (performance.now() - started) / 1000);
    let result: Handled<T>;
    try {
      result = handler(session, request as Parameters<RequestHandler<T>>[1]);
    } catch (error) {
      done('error');
      throw error;
    }
    if (!(result instanceof Promise)) {
      done('ok');
      return result;
    }
    // Answers that wait for a peer count when they settle; the caller still gets the original promise.
    result.then(
      () => done('ok'),
      () => done('error'),
    );
    return result;
  }
}
