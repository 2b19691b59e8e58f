import type { ClientMessage, ContactCustomEvent, ContactDataEvent, ContactMessageEvent, PeerSignalEvent, UserDataBag } from '@parley/protocol';
import type { ConversationServerEvent, DistributiveOmit } from '../util/messages.js';
import type { PresenceDiff } from './PresenceTracker.js';
import type { WebSocketFactory } from './SignalClient.js';

export type { ConversationServerEvent, RequestBody } from '../util/messages.js';

/** apiRTC's `ccsConnectionStatus` values (docs/sdk-reference.md#connection-loss-and-reconnection). */
export type ConnectionStatus = 'connected' | 'disconnected' | 'error' | 'retry';

/** Events of the {@link Engine}, heard by the Session facade. */
export interface EngineEvents {
  status: [status: ConnectionStatus];
  /** The socket was lost; a reconnection attempt is scheduled (once per attempt). */
  reconnecting: [];
  /** Session recovered (resumed, or registered again and presence resynced). */
  reconnection: [];
  /** Closed for good: unregister (`voluntary`), refused, replaced, or retries exhausted. */
  closed: [reason: string, voluntary: boolean];
  /**
   * Presence changed: `groups` for the watched presence groups, `conversations` for the members
   * of the joined conversations (another namespace: a group may share a conversation's name).
   */
  presence: [groups: PresenceDiff, conversations: PresenceDiff];
  contactData: [event: ContactDataEvent];
  contactMessage: [event: ContactMessageEvent];
  contactCustomEvent: [event: ContactCustomEvent];
  /** A peer-session signal (1-1 call, data channel, file transfer, invitation) from another user. */
  peerSignal: [event: PeerSignalEvent];
  /** A conversation/media/mesh event (`conv.*`, `media.*`, `mesh.signal`), routed by conversation name. */
  conversation: [event: ConversationServerEvent];
  /** The server had dropped the session and the engine registered again (emitted before `reconnection`). */
  reRegistered: [];
}

/** What the engine needs to register and to reconnect. */
export interface EngineOptions {
  /** Parley server base URL (see `resolveBaseUrl`). */
  baseUrl: string;
  apiKey: string;
  /** JWT for identified users. */
  token?: string;
  /** Requested user id (anonymous) or the token's user id. */
  userId?: string;
  groups: string[];
  subscribeTo: string[];
  userData: UserDataBag;
  /** `cloudFetchRetries` (default 100). */
  lookupRetries?: number;
  /** `cloudFetchRetryDelay` in ms (default 200). */
  lookupRetryDelayMs?: number;
  /** `ccsConnectionRetryDelay`: first reconnection delay in ms (default 1000). */
  retryDelayMs?: number;
  /** `ccsConnectionRetryNb`: reconnection attempts before giving up (default unlimited). */
  maxRetries?: number;
  /** apiRTC's `turnServerAddress`: replaces the TURN URLs the server hands out (see IceServerBook). */
  turnServerAddress?: string;
  /** Injected for tests; default the global WebSocket / fetch. */
  webSocketFactory?: WebSocketFactory;
  fetchImpl?: typeof fetch;
}

/** A client message without its id (handshakes). */
export type MessageBody = DistributiveOmit<ClientMessage, 'id'>;
