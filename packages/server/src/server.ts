import { ApiKeyStore } from './auth/ApiKeyStore.js';
import { Authenticator } from './auth/Authenticator.js';
import { ReservedUserIds } from './auth/ReservedUserIds.js';
import { TokenVerifier } from './auth/TokenVerifier.js';
import { ClusterNode } from './cluster/ClusterNode.js';
import { type Config, resolveConfig, type ServerOptions } from './config/Config.js';
import { ConfigError } from './config/ConfigError.js';
import { ContactRelay } from './contact/ContactRelay.js';
import { PeerRelay } from './contact/PeerRelay.js';
import { ConversationService } from './conversation/ConversationService.js';
import { HistoryService } from './history/HistoryService.js';
import { MessageStore } from './history/MessageStore.js';
import { HttpServer } from './http/HttpServer.js';
import { CloudMediaService } from './media-store/CloudMediaService.js';
import { CloudMediaStore } from './media-store/CloudMediaStore.js';
import { mediaRoutes } from './media-store/mediaRoutes.js';
import { createRootLogger, type Logger, moduleLogger } from './logging/logger.js';
import { ServerMetrics } from './metrics/ServerMetrics.js';
import { availableParallelism } from 'node:os';
import { isIP } from 'node:net';
import { type ListenerErrorSink, Sfu, type SfuOptions } from './media/index.js';
import type { MediaPlane } from './media/MediaApi.js';
import { WorkerPool } from './media/worker/WorkerPool.js';
import { IceRepairPort } from './ice/IceRepairPort.js';
import { GroupQuota } from './presence/GroupQuota.js';
import { PresenceService } from './presence/PresenceService.js';
import { FfmpegTools } from './recording/FfmpegTools.js';
import { registerRecordingRoutes } from './recording/recordingRoutes.js';
import { RecordingService } from './recording/RecordingService.js';
import { TurnCredentialIssuer } from './ice/TurnCredentialIssuer.js';
import { RecordingStore } from './recording/RecordingStore.js';
import { SessionManager } from './session/SessionManager.js';
import { SessionRegistry } from './session/SessionRegistry.js';
import type { UserSession } from './session/UserSession.js';
import { RequestRouter, type RoutedRequestType } from './signalling/RequestRouter.js';
import { SignallingServer } from './signalling/SignallingServer.js';
import { Database } from './storage/Database.js';
import { ServerSecrets } from './storage/ServerSecrets.js';
import { SERVER_VERSION } from './version.js';
import { CloseCode, type SessionRequest } from '@parley/protocol';

/** A running Parley server. */
export interface ParleyServer {
  /** Base URL, e.g. `http://127.0.0.1:3000` (`localhost` when bound to every interface). */
  readonly url: string;
  /** Bound TCP port (useful with `port: 0`). */
  readonly port: number;
  /** Bound port of the separate monitoring server (`http.monitoringPort`), or null. */
  readonly monitoringPort: number | null;
  /** The resolved configuration. */
  readonly config: Config;
  /** API keys of this server's database (admin and tests). */
  readonly apiKeys: ApiKeyStore;
  readonly logger: Logger;
  /** This node in its cluster; null without `cluster.redis` (one node, nothing shared). */
  readonly cluster: ClusterNode | null;
  /** Live counts. */
  stats(): { sessions: number; connections: number; groups: number; conversations: number };
  /**
   * Graceful stop: sockets are closed with 4005, HTTP stops, the database closes. Safe to
   * call twice (same promise).
   */
  close(): Promise<void>;
  /**
   * Drain before a stop: readiness turns 503, `conv.join`s creating a conversation are refused
   * (code 3), and this resolves once the conversations under way have all ended or after
   * `deadlineMs`, whichever comes first (`'empty'` / `'deadline'`). Sessions stay connected.
   */
  drain(deadlineMs: number): Promise<'empty' | 'deadline'>;
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
  let iceRepair: IceRepairPort | undefined;
  try {
    const apiKeys = new ApiKeyStore(db);
    apiKeys.ensureDemoKey(config.demoKey);

    const registry = new SessionRegistry();
    const presence = new PresenceService(moduleLogger(root, 'presence'));
    let url = '';
    const groupQuota = new GroupQuota(presence, config.limits);
    // Whoever is in a conversation reads its history and media, earlier ones included.
    // Chat-only members (joinGroupChat) read the history too.
    const isParticipant = (session: UserSession, name: string): boolean =>
      conversations.get(session.apiKey, name)?.participants.get(session.userId)?.session === session || conversations.isChatMember(session, name);
    const { enabled, maxMessagesPerThread, retentionDays } = config.history;
    const history: HistoryService = new HistoryService({
      store: enabled ? new MessageStore(db, { maxMessagesPerThread, retentionMs: retentionDays * 86_400_000 }) : undefined,
      mayRead: (session, name): boolean => isParticipant(session, name),
      log: moduleLogger(root, 'history'),
    });
    const cloudMedia: CloudMediaService = new CloudMediaService({
      store: config.cloudMedia.enabled ? new CloudMediaStore(db, config.dataDir, config.cloudMedia.retentionDays * 86_400_000) : undefined,
      config: config.cloudMedia,
      urlSecret: new ServerSecrets(db).get('cloud-media-url'),
      isParticipant,
      announce: (session, name, event) => conversations.get(session.apiKey, name)?.broadcast(event, session),
      log: moduleLogger(root, 'cloud-media'),
    });
    const media = createMediaPlane(config, mediaErrors);
    iceRepair = await openIceRepair(config, mediaErrors);
    if (iceRepair) mediaLog.info({ port: iceRepair.port }, `ICE check repair port on UDP ${iceRepair.port}`);
    if (media instanceof WorkerPool) {
      media.on('workerCrashed', (index, detail) => mediaLog.error({ worker: index, detail }, `media worker ${index} died (${detail}); restarting it`));
      media.on('workerReady', (index, pid) => mediaLog.info({ worker: index, pid }, `media worker ${index} running (pid ${pid})`));
      // Its participants publish and subscribe again on a new room (another worker or the restarted one).
      media.on('roomLost', (room) => conversations.mediaLost(room));
    }
    const conversations = new ConversationService({
      presence,
      sfu: media,
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
        iceRepair,
      },
      relayTimeoutMs: config.conversations.relayTimeoutMs,
      limits: config.limits,
      // Read when a moderated conversation is created: a key changed from the CLI applies to the next one.
      moderatorRule: (key) => (apiKeys.get(key)?.moderatorGrant === true ? 'grant' : 'first'),
      chatLog: history,
      log: moduleLogger(root, 'conversation'),
    });
    const { redis } = config.cluster;
    const cluster: ClusterNode | null =
      redis === undefined
        ? null
        : new ClusterNode({
            config: { ...config.cluster, redis },
            registry,
            presence,
            conversations,
            apiKeys,
            run: (session, request) => router.handleLocal(session, request as SessionRequest & { type: RoutedRequestType }),
            requestTimeoutMs: config.conversations.relayTimeoutMs,
            url: () => config.cluster.publicUrl ?? url,
            replaced: (session): void => manager.end(session, CloseCode.REPLACED, 'replaced by a newer session'),
            lost: (session): void => manager.end(session, CloseCode.SERVER_SHUTDOWN, 'the node of a conversation is gone: register and rejoin'),
            log: moduleLogger(root, 'cluster'),
          });
    const recordings = new RecordingService({
      config: config.recording,
      dataDir: config.dataDir,
      store: new RecordingStore(db),
      tools: new FfmpegTools({ ffmpeg: config.recording.ffmpegPath, ffprobe: config.recording.ffprobePath, nice: config.recording.nice }),
      conversations,
      log: moduleLogger(root, 'recording'),
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
      ice: new TurnCredentialIssuer(config.ice),
      sessionEnding: (session) => {
        conversations.leaveAll(session);
        cluster?.conversations.sessionEnded(session);
      },
      ...(cluster ? { claims: cluster.sessions } : {}),
    });
    // Read at scrape time; the signalling server exists by the time anyone can scrape.
    let signallingServer: SignallingServer | null = null;
    const metrics = config.http.metrics
      ? new ServerMetrics({
          sessions: () => registry.size,
          connections: () => signallingServer?.connectionCount ?? 0,
          conversations: () => conversations.conversationCount,
          groups: () => presence.groupCount,
          recordings: () => recordings.activeCount,
          sfu: () => conversations.sfuStats(),
          ...(iceRepair ? { iceRepair: iceRepair.getStats.bind(iceRepair) } : {}),
        })
      : undefined;
    const router = new RequestRouter({
      manager,
      presence,
      groupQuota,
      relay: new ContactRelay(registry, history, cluster ?? undefined),
      peers: new PeerRelay(registry, config.limits, cluster ?? undefined),
      conversations,
      recordings,
      history,
      cloudMedia,
      ...(metrics ? { observe: (type, outcome, seconds) => metrics.observeRequest(type, outcome, seconds) } : {}),
      ...(cluster ? { proxy: cluster.conversations } : {}),
    });
    const http = new HttpServer({
      config,
      log: moduleLogger(root, 'http'),
      serverVersion: SERVER_VERSION,
      sessionCount: () => registry.size,
      stats: () => ({
        sessions: registry.size,
        conversations: conversations.conversationCount,
        sfu: {
          ...conversations.sfuStats(),
          ...(media instanceof WorkerPool ? { workers: media.workers() } : {}),
          ...(iceRepair ? { iceRepair: iceRepair.getStats() } : {}),
        },
        ...(cluster
          ? {
              cluster: {
                node: cluster.nodeId,
                peers: [...cluster.nodes.peers],
                remoteMembers: cluster.presence.remoteMembers,
                proxiedParticipants: cluster.conversations.proxiedParticipants,
              },
            }
          : {}),
      }),
      routes: (app) => mediaRoutes(app, cloudMedia),
      ...(metrics ? { metrics } : {}),
      ...(cluster ? { nodes: () => [url, ...cluster.nodes.peerUrls()] } : {}),
    });
    registerRecordingRoutes(http.fastify, recordings);
    const signalling = new SignallingServer(http.server, {
      manager,
      router,
      limits: config.limits,
      trustProxy: http.trust,
      log: moduleLogger(root, 'signalling'),
    });
    signallingServer = signalling;

    let port: number;
    try {
      port = await http.listen();
      url = baseUrl(config.host, port);
      // Before the server reports ready: registrations need the shared user ids.
      await cluster?.start();
    } catch (error) {
      await cluster?.close();
      await signalling.close();
      await http.close();
      await recordings.close();
      conversations.close();
      history.close();
      cloudMedia.close();
      throw error;
    }
    http.markReady();
    recordings.start(url);

    let closing: Promise<void> | null = null;
    const close = async (): Promise<void> => {
      // Sockets first (clients learn it is a shutdown, 4005), then sessions, HTTP, storage.
      http.markStopping();
      await signalling.close();
      // Captures end and keep their files (composing them is the next start's job) before the
      // sessions' leaving would end the recordings normally.
      await recordings.close();
      manager.close();
      // After the sessions released their ids; tells the other nodes this one's users are gone.
      await cluster?.close();
      conversations.close();
      iceRepair?.close();
      // Media workers flush their capture files and exit; bounded: a stuck one is not waited for.
      if (media instanceof WorkerPool) await Promise.race([media.whenExited(), new Promise((r) => setTimeout(r, 3_000).unref())]);
      history.close();
      cloudMedia.close();
      presence.close();
      await http.close();
      metrics?.close();
      db.close();
    };
    return {
      url,
      port,
      monitoringPort: http.monitoringPort,
      config,
      apiKeys,
      cluster,
      logger: root,
      stats: () => ({
        sessions: registry.size,
        connections: signalling.connectionCount,
        groups: presence.groupCount,
        conversations: conversations.conversationCount,
      }),
      close: () => (closing ??= close()),
      drain: async (deadlineMs) => {
        http.markStopping();
        conversations.drain();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'deadline'>((resolve) => {
          timer = setTimeout(() => resolve('deadline'), deadlineMs);
        });
        const outcome = await Promise.race([conversations.whenEmpty().then(() => 'empty' as const), deadline]);
        clearTimeout(timer);
        return outcome;
      },
    };
  } catch (error) {
    iceRepair?.close();
    db.close();
    throw error;
  }
}

/**
 * The ICE check repair port when configured on (a port number) or left to `'auto'` with TURN
 * URLs set. libjuice listens on the SFU's bind address (every interface without one), so the
 * flows reach it there, or on loopback. @throws the bind error (e.g. EADDRINUSE)
 */
async function openIceRepair(config: Config, errorSink: ListenerErrorSink): Promise<IceRepairPort | undefined> {
  const setting = config.media.iceRepairPort;
  if (setting === 'off' || (setting === 'auto' && config.ice.turnUrls.length === 0)) return undefined;
  const { bindAddress } = config.media;
  const ipv4Bind = bindAddress !== undefined && isIP(bindAddress) === 4 ? bindAddress : undefined;
  // An IPv6-only bind leaves no IPv4 socket of libjuice to forward to.
  if (bindAddress !== undefined && ipv4Bind === undefined) return undefined;
  return IceRepairPort.open({ port: setting === 'auto' ? 0 : setting, bindAddress: ipv4Bind, targetAddress: ipv4Bind ?? '127.0.0.1' }, errorSink);
}

/**
 * The media plane with the configured network settings: the SFU in this process (`workers` 0)
 * or a pool of media worker processes. @throws ConfigError on a bad address
 */
function createMediaPlane(config: Config, errorSink: ListenerErrorSink): MediaPlane {
  // iceRepairPort is the main process's (openIceRepair), not the SFU's.
  const { announcedAddress, bindAddress, portMin, portMax, udpMuxPort, workers, iceRepairPort, ...limits } = config.media;
  const options: SfuOptions = {
    ...limits,
    ...(udpMuxPort !== undefined ? { udpMuxPort } : {}),
    ...(announcedAddress !== undefined ? { announcedAddress } : {}),
    ...(bindAddress !== undefined ? { bindAddress } : {}),
    ...(portMin !== undefined && portMax !== undefined ? { portRange: { min: portMin, max: portMax } } : {}),
  };
  const count = workers === 'auto' ? availableParallelism() : workers;
  try {
    return count === 0 ? new Sfu(options, undefined, errorSink) : new WorkerPool(count, options, errorSink);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  media: ${(error as Error).message}`);
  }
}

function baseUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
