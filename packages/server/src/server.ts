import { ApiKeyStore } from './auth/ApiKeyStore.js';
import { Authenticator } from './auth/Authenticator.js';
import { ReservedUserIds } from './auth/ReservedUserIds.js';
import { TokenVerifier } from './auth/TokenVerifier.js';
import { type Config, resolveConfig, type ServerOptions } from './config/Config.js';
import { ConfigError } from './config/ConfigError.js';
import { ContactRelay } from './contact/ContactRelay.js';
import { PeerRelay } from './contact/PeerRelay.js';
import { ConversationService } from './conversation/ConversationService.js';
import { HttpServer } from './http/HttpServer.js';
import { createRootLogger, type Logger, moduleLogger } from './logging/logger.js';
import { type ListenerErrorSink, Sfu, type SfuOptions } from './media/index.js';
import { GroupQuota } from './presence/GroupQuota.js';
import { PresenceService } from './presence/PresenceService.js';
import { SessionManager } from './session/SessionManager.js';
import { SessionRegistry } from './session/SessionRegistry.js';
import { RequestRouter } from './signalling/RequestRouter.js';
import { SignallingServer } from './signalling/SignallingServer.js';
import { Database } from './storage/Database.js';
import { SERVER_VERSION } from './version.js';

/** A running Parley server. */
export interface ParleyServer {
  /** Base URL, e.g. `http://127.0.0.1:3000` (`localhost` when bound to every interface). */
  readonly url: string;
  /** Bound TCP port (useful with `port: 0`). */
  readonly port: number;
  /** The resolved configuration. */
  readonly config: Config;
  /** API keys of this server's database (admin and tests). */
  readonly apiKeys: ApiKeyStore;
  readonly logger: Logger;
  /** Live counts. */
  stats(): { sessions: number; connections: number; groups: number; conversations: number };
  /**
   * Graceful stop: sockets are closed with 4005, HTTP stops, the database closes. Safe to
   * call twice (same promise).
   */
  close(): Promise<void>;
}

/**
 * Starts a server. `options` is a (partial) configuration; missing fields take their
 * defaults. The environment is NOT read here: use `loadConfig()` for that.
 * @throws ConfigError on invalid options, DatabaseError when the data directory is unusable,
 *   or the listen error (e.g. EADDRINUSE).
 */
export async function startServer(options: ServerOptions | Config = {}): Promise<ParleyServer> {
  const config = resolveConfig(options);
  const root = createRootLogger(config.logLevel);
  // Listener and callback errors of this server's media plane go to its own log.
  const mediaLog = moduleLogger(root, 'media');
  const mediaErrors: ListenerErrorSink = (error, event) => mediaLog.error({ err: error, event }, 'media callback threw');
  const db = Database.open(config.dataDir, undefined, { log: moduleLogger(root, 'storage') });
  try {
    const apiKeys = new ApiKeyStore(db);
    apiKeys.ensureDemoKey(config.demoKey);

    const registry = new SessionRegistry();
    const presence = new PresenceService(moduleLogger(root, 'presence'));
    const groupQuota = new GroupQuota(presence, config.limits);
    const conversations = new ConversationService({
      presence,
      sfu: createSfu(config, mediaErrors),
      settings: {
        policy: {
          meshMaxParticipants: config.conversations.meshMaxParticipants,
          lossThreshold: config.conversations.lossThreshold,
          lossReports: config.conversations.lossReports,
        },
        meshOnlyMaxParticipants: config.conversations.meshOnlyMaxParticipants,
        answerTimeoutMs: config.conversations.answerTimeoutMs,
        maxPendingOffers: config.limits.maxPendingOffers,
        maxPublicationsPerParticipant: config.limits.maxPublicationsPerParticipant,
        maxStreamListBytes: config.limits.maxStreamListBytes,
      },
      relayTimeoutMs: config.conversations.relayTimeoutMs,
      limits: config.limits,
      log: moduleLogger(root, 'conversation'),
    });
    const authenticator = new Authenticator(apiKeys, new TokenVerifier(), registry, new ReservedUserIds(db));
    const manager = new SessionManager({
      registry,
      presence,
      groupQuota,
      authenticator,
      limits: config.limits,
      serverVersion: SERVER_VERSION,
      log: moduleLogger(root, 'session'),
      sessionEnding: (session) => conversations.leaveAll(session),
    });
    const router = new RequestRouter({
      manager,
      presence,
      groupQuota,
      relay: new ContactRelay(registry),
      peers: new PeerRelay(registry, config.limits),
      conversations,
    });
    const http = new HttpServer({
      config,
      log: moduleLogger(root, 'http'),
      serverVersion: SERVER_VERSION,
      sessionCount: () => registry.size,
      stats: () => ({ sessions: registry.size, conversations: conversations.conversationCount, sfu: conversations.sfuStats() }),
    });
    const signalling = new SignallingServer(http.server, {
      manager,
      router,
      limits: config.limits,
      trustProxy: config.http.trustProxy,
      log: moduleLogger(root, 'signalling'),
    });

    let port: number;
    try {
      port = await http.listen();
    } catch (error) {
      await signalling.close();
      await http.close();
      conversations.close();
      throw error;
    }
    http.markReady();
    const url = baseUrl(config.host, port);

    let closing: Promise<void> | null = null;
    const close = async (): Promise<void> => {
      // Sockets first (clients learn it is a shutdown, 4005), then sessions, HTTP, storage.
      http.markStopping();
      await signalling.close();
      manager.close();
      conversations.close();
      presence.close();
      await http.close();
      db.close();
    };
    return {
      url,
      port,
      config,
      apiKeys,
      logger: root,
      stats: () => ({
        sessions: registry.size,
        connections: signalling.connectionCount,
        groups: presence.groupCount,
        conversations: conversations.conversationCount,
      }),
      close: () => (closing ??= close()),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The media plane with the configured network settings. @throws ConfigError on a bad address */
function createSfu(config: Config, errorSink: ListenerErrorSink): Sfu {
  const { announcedAddress, bindAddress, portMin, portMax, ...limits } = config.media;
  const options: SfuOptions = {
    ...limits,
    ...(announcedAddress !== undefined ? { announcedAddress } : {}),
    ...(bindAddress !== undefined ? { bindAddress } : {}),
    ...(portMin !== undefined && portMax !== undefined ? { portRange: { min: portMin, max: portMax } } : {}),
  };
  try {
    return new Sfu(options, undefined, errorSink);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  media: ${(error as Error).message}`);
  }
}

function baseUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
