import { resolve } from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { Bounds, Defaults } from '@parley/protocol';
import { ConfigError } from './ConfigError.js';

/** Hard cap of `ws` on a frame; larger frames close the socket with 1009. */
export const WS_MAX_PAYLOAD = 1024 * 1024;

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const positiveInt = () => z.number().int().positive();

const RateLimitSchema = z.strictObject({
  /** Requests a connection may send at once before the bucket is empty. */
  burst: positiveInt().default(100),
  /** Refill rate of the bucket, in requests per second. */
  perSecond: z.number().positive().default(50),
  /** Refused requests within `refusalWindowMs` that close the socket with 4006. */
  maxRefusals: positiveInt().default(200),
  refusalWindowMs: positiveInt().default(10_000),
});

const InvalidFramesSchema = z.strictObject({
  /** Invalid frames within `windowMs` that close the socket with 4002. */
  max: positiveInt().default(20),
  windowMs: positiveInt().default(10_000),
});

/** "At most `max` within `windowMs`" (a sliding window). */
const WindowSchema = (max: number, windowMs: number) =>
  z
    .strictObject({
      max: positiveInt().default(max),
      windowMs: positiveInt().default(windowMs),
    })
    .prefault({});

const LimitsSchema = z.strictObject({
  /** How long a session whose socket closed stays resumable (and present), in ms. */
  resumeWindowMs: positiveInt().default(Defaults.resumeWindowMs),
  /** Largest inbound text frame that is parsed, in bytes (≤ 1 MiB). */
  maxMessageBytes: positiveInt().max(WS_MAX_PAYLOAD).default(Defaults.maxMessageBytes),
  /**
   * Deepest nesting of arrays and objects accepted in an inbound frame; deeper frames are
   * refused with code 9 before they are parsed.
   */
  maxJsonDepth: positiveInt().max(1000).default(32),
  /** Largest serialized user data, in bytes (at most the protocol's bound, 64 KiB). */
  maxUserDataBytes: positiveInt().max(Bounds.userData).default(Defaults.maxUserDataBytes),
  /** Simultaneous WebSocket connections; further upgrades get HTTP 503. */
  maxConnections: positiveInt().default(50_000),
  /** Time a new socket has to send `register` or `resume`, in ms. */
  handshakeTimeoutMs: positiveInt().default(10_000),
  /** Application ping interval the SDK is told to use, in ms. */
  heartbeatMs: positiveInt().default(Defaults.heartbeatMs),
  /** Interval of WebSocket pings; a socket that missed the previous pong is terminated. */
  pingIntervalMs: positiveInt().default(30_000),
  /** Events kept per session for replay on resume. */
  replayEvents: positiveInt().default(512),
  /** Characters of events kept per session for replay; older events are dropped beyond it. */
  replayChars: positiveInt().default(1024 * 1024),
  /** Answers remembered per session for repeated request ids. */
  answerCache: positiveInt().default(128),
  /** Bytes queued on a socket the client does not read; beyond it the socket is dropped. */
  maxBufferedBytes: positiveInt().default(8 * 1024 * 1024),
  rateLimit: RateLimitSchema.prefault({}),
  invalidFrames: InvalidFramesSchema.prefault({}),
  /** Simultaneous WebSockets from one client address; further upgrades get HTTP 429. */
  maxConnectionsPerIp: positiveInt().default(200),
  /**
   * Whether loopback clients are exempt from `maxConnectionsPerIp` (local tools, benchmarks, a
   * reverse proxy on the same host whose clients are not told apart: see `http.trustProxy`).
   */
  exemptLoopback: z.boolean().default(true),
  /** Live sessions of one API key; a further `register` is refused with code 5. */
  maxSessionsPerKey: positiveInt().default(20_000),
  /** Conversations a session is in at once; one more `conv.join` gets code 14. */
  maxConversationsPerSession: positiveInt().default(20),
  /** SFU media peers (two PeerConnections each) a session holds at once, all conversations. */
  maxPeersPerSession: positiveInt().default(8),
  /** Media peers a session may create within a window (churning join/leave), code 14 beyond. */
  peerCreations: WindowSchema(20, 60_000),
  /** `media.publisherOffer`s of one participant waiting for the SFU's answer; code 14 beyond. */
  maxPendingOffers: positiveInt().default(4),
  /** Streams one participant publishes at once in a conversation; code 14 beyond. */
  maxPublicationsPerParticipant: positiveInt().default(16),
  /**
   * Serialized size of every stream descriptor of a conversation (what a joiner is sent), in
   * bytes; a `conv.publish` that would exceed it gets code 14.
   */
  maxStreamListBytes: positiveInt().default(256 * 1024),
  /** Groups a session is a member of (conversations included); `group.join` beyond gets 14. */
  maxGroupsPerSession: positiveInt().default(100),
  /** Groups a session subscribes to; `group.subscribe` beyond gets 14. */
  maxSubscriptionsPerSession: positiveInt().default(100),
  /** `conv.relay` requests of one session waiting for their publisher; code 14 beyond. */
  maxPendingRelaysPerSession: positiveInt().default(16),
  /** `mesh.signal` messages one session may send within a window; code 14 beyond. */
  meshSignals: WindowSchema(300, 10_000),
  /** `peer.signal` messages (1-1 calls, data channels, file transfers) one session may send within a window; code 14 beyond. */
  peerSignals: WindowSchema(300, 10_000),
  /** Peer invitations (`peer.signal` invite / conversationInvite) one session may send within a window; code 14 beyond. */
  peerInvites: WindowSchema(30, 10_000),
});

/** The SFU's network settings (see SfuOptions in media/MediaConfig.ts, validated there too). */
const MediaSchema = z
  .strictObject({
    /** Public address written into the SFU's host candidates (server behind 1:1 NAT). */
    announcedAddress: z.string().min(1).optional(),
    /** Local address ICE binds to; default every interface (Chromium ignores loopback). */
    bindAddress: z.string().min(1).optional(),
    /** UDP port range for ICE, inclusive; both or neither. Default: ephemeral ports. */
    portMin: z.number().int().min(1024).max(65535).optional(),
    portMax: z.number().int().min(1024).max(65535).optional(),
    /** ICE UDP mux: one UDP port for every media connection (excludes portMin/portMax). */
    udpMuxPort: z.number().int().min(1024).max(65535).optional(),
    /**
     * File descriptors PeerConnections may never take (kept for WebSockets, HTTP, SQLite, logs):
     * a new connection is refused ("not enough bandwidth", code 0) within this of the fd limit.
     */
    fdReserve: z.number().int().min(0).default(512),
    /** Most m-sections in one publisher offer (code 9 beyond). */
    maxSectionsPerOffer: positiveInt().max(1024).default(16),
    /** Most simultaneous subscriptions (forwarded tracks) of one participant (code 9 beyond). */
    maxSubscriptionsPerPeer: positiveInt().max(4096).default(128),
    /** Time a media connection may stay unconnected or disconnected before it is closed as failed, ms. */
    transportTimeoutMs: positiveInt().min(100).default(30_000),
    /** Retransmissions a subscriber connection earns per forwarded packet (NACK budget). */
    nackRetransmitRatio: z.number().min(0).max(1).default(0.2),
    /** Retransmissions a subscriber connection may bank (NACK budget bucket size). */
    nackBurst: z.number().int().min(0).max(65536).default(64),
    /** NACKs repeating a packet retransmitted less than this ago are ignored, ms. */
    nackRepeatWindowMs: z.number().int().min(0).max(10_000).default(100),
    /**
     * Media worker processes (docs/media-plane.md § Media workers): 0 runs the SFU in the main
     * process, `'auto'` one per core. `startServer()` defaults to 0; the server process
     * (`npm start`, loadConfig) to `'auto'`.
     */
    workers: z.union([z.literal('auto'), z.number().int().min(0).max(256)]).default(0),
    /**
     * The ICE check repair port (docs/operations.md § TURN): one more UDP port, announced as an
     * extra host candidate of every SFU connection, that lets Chromium clients whose UDP is
     * blocked reach the SFU over TURN/TCP or TLS. `'auto'` (default): on, on an ephemeral port,
     * when `ice.turnUrls` is set; a number: on, on that port (0 = ephemeral); `'off'`: never.
     * Environment `PARLEY_MEDIA_ICE_REPAIR_PORT`.
     */
    iceRepairPort: z
      .union([
        z.enum(['auto', 'off']),
        z.number().int().min(0).max(65535),
        z
          .string()
          .regex(/^\d{1,5}$/)
          .transform(Number),
      ])
      .pipe(z.union([z.enum(['auto', 'off']), z.number().int().min(0).max(65535)]))
      .default('auto'),
  })
  .refine((m) => (m.portMin === undefined) === (m.portMax === undefined), { message: 'portMin and portMax go together' })
  .refine((m) => m.portMin === undefined || m.portMax === undefined || m.portMin <= m.portMax, { message: 'portMin must be ≤ portMax' })
  .refine((m) => m.udpMuxPort === undefined || m.portMin === undefined, { message: 'udpMuxPort excludes portMin/portMax' });

/** An ICE server URL as browsers and coturn spell them (RFC 7064 / RFC 7065). */
const IceUrl = (schemes: string) =>
  z
    .string()
    .max(512)
    .regex(new RegExp(`^(${schemes}):[^\\s]+$`), `must be a ${schemes.replace('|', ' or ')} URL`);

/** STUN/TURN servers handed to sessions (docs/operations.md § TURN). */
const IceSchema = z
  .strictObject({
    /** STUN URLs, e.g. `stun:turn.example.com:3478`. */
    stunUrls: z.array(IceUrl('stun|stuns')).max(4).default([]),
    /**
     * TURN URLs sharing one credential, e.g. `turn:turn.example.com:3478?transport=udp`,
     * `turn:turn.example.com:3478?transport=tcp`, `turns:turn.example.com:5349?transport=tcp`.
     */
    turnUrls: z.array(IceUrl('turn|turns')).max(6).default([]),
    /** coturn's `static-auth-secret` (`use-auth-secret`): TURN credentials are derived from it. */
    turnSecret: z.string().min(16).optional(),
    /** Lifetime of the TURN credentials handed out, seconds (coturn refuses them afterwards). */
    credentialTtlS: positiveInt()
      .min(60)
      .default(24 * 3600),
  })
  .refine((ice) => ice.turnUrls.length === 0 || ice.turnSecret !== undefined, { message: 'turnUrls need turnSecret' });

const ConversationsSchema = z.strictObject({
  /** Time a publisher has to answer a `conv.relay`, ms (then code 11). */
  relayTimeoutMs: positiveInt().default(10_000),
  /** Time the SFU has to answer a publisher offer, ms (then code 11). */
  answerTimeoutMs: positiveInt().default(10_000),
  /** Most participants of a mesh room; one more moves it to SFU (mesh-only rooms excepted). */
  meshMaxParticipants: positiveInt().default(4),
  /** Loss ratio above which a `conv.qualityReport` counts as bad. */
  lossThreshold: z.number().min(0).max(1).default(0.1),
  /** Consecutive bad reports of one participant that move a mesh room to SFU. */
  lossReports: positiveInt().default(3),
  /** Most participants of a mesh-only room (code 14 beyond); default no cap. */
  meshOnlyMaxParticipants: positiveInt().optional(),
});

const HistorySchema = z.strictObject({
  /** Whether conversation and 1-1 messages are stored (and `conv.history` / `contact.history` answer). */
  enabled: z.boolean().default(true),
  /** Newest messages kept per conversation and per 1-1 thread; older ones are deleted as new ones arrive. */
  maxMessagesPerThread: positiveInt().default(1000),
  /** Days a message is kept; older ones are never served and are deleted hourly. */
  retentionDays: positiveInt().default(30),
});

const CloudMediaSchema = z.strictObject({
  /** Whether participants may upload files to a conversation (`pushData`). */
  enabled: z.boolean().default(true),
  /** Largest file accepted, in bytes (HTTP 413 / code 9 beyond). */
  maxFileBytes: positiveInt().default(100 * 1024 * 1024),
  /**
   * MIME types accepted: exact (`image/png`), a family (`image/` then a star) or any (star, slash,
   * star: the default). A file of another type is refused with code 9.
   */
  allowedTypes: z
    .array(z.string().regex(/^[\w.+*-]+\/[\w.+*-]+$/))
    .min(1)
    .default(['*/*']),
  /** Days a file is kept; older ones are deleted (files and records) at start and hourly. */
  retentionDays: positiveInt().default(7),
  /** Lifetime of a download URL handed to participants, seconds. */
  urlTtlSeconds: positiveInt().default(3600),
  /** Time a client has to start its upload after getting the ticket, ms. */
  ticketTtlMs: positiveInt().default(60_000),
});

const HttpSchema = z.strictObject({
  /**
   * Bearer token `GET /api/v1/stats` requires (`Authorization: Bearer <token>`). Without one,
   * the stats answer loopback clients only (and never requests a proxy forwarded).
   */
  statsToken: z.string().min(16).optional(),
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (the client address it gives then counts
   * for per-IP limits, the loopback check and logs): `false` (default) none; a list of proxy
   * addresses or CIDR ranges (`"127.0.0.1"`, `"10.0.0.0/8"`, `"::1"`, or the names `loopback`,
   * `linklocal`, `uniquelocal`); `true` whatever peer connects (one proxy hop, only for a server
   * no client can reach except through the proxy). See docs/deployment.md.
   */
  trustProxy: z
    .union([z.boolean(), z.array(z.string().min(1)).min(1)])
    .refine(validTrustList, { message: 'expected true, false or a list of IP addresses / CIDR ranges (or loopback, linklocal, uniquelocal)' })
    .default(false),
  /**
   * Serve `/metrics` and `/api/v1/stats` on this separate port (bound to `monitoringHost`)
   * instead of the public one; `statsToken`, when set, is still required there.
   */
  monitoringPort: z.number().int().min(0).max(65535).optional(),
  /** Address the monitoring port binds to; default loopback only. */
  monitoringHost: z.string().min(1).default('127.0.0.1'),
  /** Whether `/metrics` (Prometheus) is served at all. */
  metrics: z.boolean().default(true),
});

/** Whether proxy-addr accepts a `trustProxy` list (it throws on a bad address or prefix). */
function validTrustList(setting: boolean | string[]): boolean {
  if (typeof setting === 'boolean') return true;
  try {
    proxyaddr.compile(setting);
    return true;
  } catch {
    return false;
  }
}

/** Composite recording (docs/operations.md § Recording). */
const RecordingSchema = z.strictObject({
  /** Whether `conv.startRecording` is accepted (also off when ffmpeg is missing). */
  enabled: z.boolean().default(true),
  /** The ffmpeg and ffprobe executables (Debian's `ffmpeg` package). */
  ffmpegPath: z.string().min(1).default('ffmpeg'),
  ffprobePath: z.string().min(1).default('ffprobe'),
  /**
   * Base of the download URLs handed to apps (`mediaURL`), e.g. `https://meet.example.com` behind
   * a reverse proxy; default the URL the server listens on.
   */
  publicUrl: z.url().optional(),
  /** Lifetime of a signed download URL, seconds (default 7 days). */
  urlTtlSeconds: positiveInt().default(7 * 24 * 3600),
  /** Recordings older than this many days are deleted (files and metadata); 0 keeps them. */
  retentionDays: z.number().min(0).default(0),
  /** Composite frame size and rate. */
  width: positiveInt().max(3840).default(1280),
  height: positiveInt().max(2160).default(720),
  fps: positiveInt().max(60).default(25),
  /** Threads of the composite encoder (one encode at a time). */
  threads: positiveInt().max(16).default(1),
  /** Niceness of the composite encoder, 0–19: live forwarding keeps priority. */
  nice: z.number().int().min(0).max(19).default(10),
});

const ShutdownSchema = z.strictObject({
  /**
   * On SIGTERM, time the conversations under way may go on while no new one is accepted
   * (new `conv.join`s creating one get code 3), seconds; 0 stops at once (sockets closed, 4005).
   */
  drainSeconds: z.number().min(0).max(86_400).default(0),
});

/** Several nodes sharing sessions and presence through Redis (docs/operations.md § Cluster); off by default. */
const ClusterSchema = z.strictObject({
  /** Redis URL, e.g. `redis://127.0.0.1:6379`; unset = one node, nothing shared. */
  redis: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .optional(),
  /**
   * This node's base URL as browsers reach it (e.g. `https://node2.example.com`), advertised to the
   * SDK for reconnecting to another node; default the URL the server listens on.
   */
  publicUrl: z.url().optional(),
  /** This node's id in the cluster; default a random one per start. */
  nodeId: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .optional(),
  /** How often the node refreshes its liveness and its sessions' ids in Redis, ms. */
  heartbeatMs: positiveInt().min(100).max(60_000).default(1_000),
  /** Heartbeats a node may miss before the others count it dead (its session ids then expire too). */
  missedHeartbeats: positiveInt().min(2).max(20).default(3),
  /** Key prefix in Redis, so several clusters (or tests) can share one Redis. */
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]{1,64}$/)
    .default('parley:'),
});

/** Schema of the whole configuration; every field has a default. */
export const ConfigSchema = z.strictObject({
  /** TCP port; 0 picks a free one. */
  port: z.number().int().min(0).max(65535).default(3000),
  host: z.string().min(1).default('0.0.0.0'),
  /** Directory for the SQLite database and other server data; relative to the cwd. */
  dataDir: z.string().min(1).default('./data'),
  /** Whether the demo API key `myDemoApiKey` is enabled. */
  demoKey: z.boolean().default(true),
  logLevel: LogLevel.default('info'),
  /** Folder holding the built SDK (parley.js, parley.mjs); default: parley-sdk's dist. */
  sdkDir: z.string().min(1).optional(),
  /** Folder holding the built demo app; default: @parley/meet's dist. */
  appDir: z.string().min(1).optional(),
  limits: LimitsSchema.prefault({}),
  http: HttpSchema.prefault({}),
  media: MediaSchema.prefault({}),
  ice: IceSchema.prefault({}),
  conversations: ConversationsSchema.prefault({}),
  recording: RecordingSchema.prefault({}),
  history: HistorySchema.prefault({}),
  cloudMedia: CloudMediaSchema.prefault({}),
  shutdown: ShutdownSchema.prefault({}),
  cluster: ClusterSchema.prefault({}),
});

/** The resolved server configuration. */
export type Config = z.output<typeof ConfigSchema>;
/** Configuration as accepted by `startServer()`: every field optional. */
export type ServerOptions = z.input<typeof ConfigSchema>;
export type Limits = Config['limits'];
export type RateLimitConfig = Limits['rateLimit'];
export type WindowLimit = Limits['peerCreations'];
export type HttpConfig = Config['http'];
export type TrustProxySetting = HttpConfig['trustProxy'];
export type RecordingConfig = Config['recording'];
export type HistoryConfig = Config['history'];
export type CloudMediaConfig = Config['cloudMedia'];
export type IceConfig = Config['ice'];
export type ClusterConfig = Config['cluster'];

/**
 * Validates `input`, fills defaults and makes `dataDir`, `sdkDir` and `appDir` absolute
 * (relative to `cwd`).
 * @throws ConfigError listing every invalid field.
 */
export function resolveConfig(input: unknown = {}, cwd: string = process.cwd()): Config {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      return `  ${where}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  config.dataDir = resolve(cwd, config.dataDir);
  if (config.sdkDir !== undefined) config.sdkDir = resolve(cwd, config.sdkDir);
  if (config.appDir !== undefined) config.appDir = resolve(cwd, config.appDir);
  return config;
}
