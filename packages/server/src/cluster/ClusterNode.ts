import { randomBytes } from 'node:crypto';
import type { UnsequencedEvent } from '@parley/protocol';
import type { ClusterConfig } from '../config/Config.js';
import type { ApiKeyStore } from '../auth/ApiKeyStore.js';
import type { RemoteUsers } from '../contact/RemoteUsers.js';
import type { ConversationService } from '../conversation/ConversationService.js';
import type { Logger } from '../logging/logger.js';
import type { PresenceService } from '../presence/PresenceService.js';
import type { SessionRegistry } from '../session/SessionRegistry.js';
import type { UserSession } from '../session/UserSession.js';
import { ApiKeySync } from './ApiKeySync.js';
import { ClusterBus } from './ClusterBus.js';
import type { ClusterMessage } from './ClusterMessage.js';
import { ConversationPlacement } from './ConversationPlacement.js';
import { ConversationProxy, type LocalRun } from './ConversationProxy.js';
import { NodeRegistry } from './NodeRegistry.js';
import { PresenceMirror } from './PresenceMirror.js';
import { SessionDirectory } from './SessionDirectory.js';

/** Dependencies of {@link ClusterNode}. */
export interface ClusterNodeDeps {
  config: ClusterConfig & { redis: string };
  registry: SessionRegistry;
  presence: PresenceService;
  conversations: ConversationService;
  apiKeys: ApiKeyStore;
  /** Runs a request on this node without proxying (RequestRouter.handleLocal). */
  run: LocalRun;
  /** How long a request forwarded to a conversation's node may wait for its answer, ms. */
  requestTimeoutMs: number;
  /** This node's public URL, advertised to the others. */
  url: () => string;
  /** Ends a local session replaced by a registration on another node (close code 4001). */
  replaced: (session: UserSession) => void;
  /** Ends a local session whose conversation's node died (close code 4005: the SDK registers and rejoins). */
  lost: (session: UserSession) => void;
  log: Logger;
}

/**
 * This server as one node of a cluster sharing state through Redis: the bus, the node's
 * heartbeat, the shared user ids and the presence mirror, plus the delivery of contact and peer
 * events to users of other nodes. Created only when `cluster.redis` is set; a single node runs
 * without any of it.
 */
export class ClusterNode implements RemoteUsers {
  readonly nodeId: string;
  readonly bus: ClusterBus;
  readonly nodes: NodeRegistry;
  readonly sessions: SessionDirectory;
  readonly presence: PresenceMirror;
  readonly placement: ConversationPlacement;
  readonly conversations: ConversationProxy;
  readonly apiKeys: ApiKeySync;
  readonly #deps: ClusterNodeDeps;
  #closed = false;

  constructor(deps: ClusterNodeDeps) {
    this.#deps = deps;
    const { config, log } = deps;
    this.nodeId = config.nodeId ?? randomBytes(6).toString('hex');
    const errorSink = (error: unknown, event: string): void => log.error({ err: error, event }, 'cluster listener threw');
    this.bus = new ClusterBus(config.redis, this.nodeId, config.prefix, log, errorSink);
    this.nodes = new NodeRegistry(
      this.bus,
      {
        heartbeatMs: config.heartbeatMs,
        missedHeartbeats: config.missedHeartbeats,
        info: () => ({
          url: deps.url(),
          sessions: deps.registry.size,
          conversations: deps.conversations.conversationCount,
          draining: deps.conversations.draining,
        }),
        log,
      },
      errorSink,
    );
    const ttlMs = config.heartbeatMs * config.missedHeartbeats;
    this.sessions = new SessionDirectory(this.bus, this.nodes, ttlMs, log);
    this.presence = new PresenceMirror(this.bus, deps.presence, deps.registry, log);
    this.apiKeys = new ApiKeySync(this.bus, deps.apiKeys, log);
    this.placement = new ConversationPlacement(this.bus, this.nodes, ttlMs, log);
    this.conversations = new ConversationProxy({
      bus: this.bus,
      placement: this.placement,
      conversations: deps.conversations,
      presence: deps.presence,
      run: deps.run,
      lost: deps.lost,
      timeoutMs: deps.requestTimeoutMs,
      log,
    });
    this.bus.on('message', (message) => this.#received(message));
    this.nodes.on('beat', () => {
      this.sessions.refresh(deps.registry).catch((error: unknown) => log.warn({ err: error }, 'user ids not refreshed'));
      this.placement.renew(deps.conversations.names()).catch((error: unknown) => log.warn({ err: error }, 'conversation leases not renewed'));
      this.apiKeys.sync().catch((error: unknown) => log.warn({ err: error }, 'API keys not synchronised'));
    });
    this.nodes.on('nodeGone', (nodeId) => {
      this.presence.nodeGone(nodeId);
      this.conversations.nodeGone(nodeId);
    });
  }

  /**
   * Connects to Redis, announces the node and asks the others for their presence members.
   * @throws the connection error when Redis cannot be reached
   */
  async start(): Promise<void> {
    await this.bus.start();
    // Keys first: registrations with tokens of keys created on other nodes work from the start.
    await this.apiKeys.sync();
    await this.nodes.start();
    this.presence.start();
    this.#deps.log.info({ node: this.nodeId, peers: [...this.nodes.peers] }, 'joined the cluster');
  }

  async locate(apiKey: string, userId: string): Promise<string | null> {
    const nodeId = await this.sessions.locate(apiKey, userId);
    return nodeId === this.nodeId ? null : nodeId;
  }

  deliverTo(nodeId: string, apiKey: string, userId: string, event: UnsequencedEvent): void {
    this.bus.send(nodeId, { t: 'deliver', node: this.nodeId, apiKey, userId, event });
  }

  /** Leaves the cluster: the others drop this node's users at once; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.bus.broadcast({ t: 'bye', node: this.nodeId });
    this.conversations.close();
    this.presence.close();
    await this.nodes.close();
    await this.bus.close();
  }

  #received(message: ClusterMessage): void {
    switch (message.t) {
      case 'deliver': {
        // A server event built by another node of this cluster, already validated there.
        this.#deps.registry.get(message.apiKey, message.userId)?.send(message.event as unknown as UnsequencedEvent);
        break;
      }
      case 'replace': {
        const session = this.#deps.registry.get(message.apiKey, message.userId);
        if (session) this.#deps.replaced(session);
        break;
      }
      case 'bye':
        this.nodes.forget(message.node);
        this.presence.nodeGone(message.node);
        this.conversations.nodeGone(message.node);
        break;
      case 'request':
      case 'response':
      case 'tail':
      case 'ended':
        this.conversations.handle(message);
        break;
      default:
        this.presence.handle(message);
    }
  }
}
