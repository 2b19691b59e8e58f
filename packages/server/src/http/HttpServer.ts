import type { Server } from 'node:http';
import { join } from 'node:path';
import cors from '@fastify/cors';
import { PROTOCOL_VERSION } from '@parley/protocol';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import type { Config } from '../config/Config.js';
import type { Logger } from '../logging/logger.js';
import { WS_PATH } from '../signalling/SignallingServer.js';
import { locatePackageDir } from './locatePackageDir.js';
import { APP_CSP, applySecurityHeaders } from './securityHeaders.js';
import type { ServerMetrics } from '../metrics/ServerMetrics.js';
import { compileTrust, type ProxyTrust } from './clientAddress.js';
import { type MonitoringSources, registerMonitoringRoutes, registerMovedMonitoringRoutes } from './monitoringRoutes.js';
import { StaticDirectory } from './static/StaticDirectory.js';

/** Dependencies of {@link HttpServer}. */
export interface HttpServerDeps {
  config: Config;
  log: Logger;
  serverVersion: string;
  /** Live session count, for /healthz. */
  sessionCount: () => number;
  /** Live counters for `GET /api/v1/stats` (counts across tenants: see statsAccess). */
  stats?: () => unknown;
  /** Prometheus metrics for `GET /metrics` (absent: no such route). */
  metrics?: ServerMetrics;
  /** Base URLs of the cluster's live nodes, this one first, for the lookup answer (cluster only). */
  nodes?: () => string[];
  /** Registers more API routes (before the demo app's catch-all). */
  routes?: (app: FastifyInstance) => void;
}

/** Where the SDK bundle and the demo app are read from. */
export interface StaticRoots {
  sdkDir: string | null;
  appDir: string | null;
}

/** Folders of the built SDK and demo app: configuration first, else the workspace packages. */
export function staticRoots(config: Pick<Config, 'sdkDir' | 'appDir'>): StaticRoots {
  const sdkPackage = config.sdkDir === undefined ? locatePackageDir('parley-sdk') : null;
  const appPackage = config.appDir === undefined ? locatePackageDir('@parley/meet') : null;
  return {
    sdkDir: config.sdkDir ?? (sdkPackage === null ? null : join(sdkPackage, 'dist')),
    appDir: config.appDir ?? (appPackage === null ? null : join(appPackage, 'dist')),
  };
}

/**
 * The HTTP side (Fastify): health, server lookup for the SDK, the SDK bundle (also under the
 * apiRTC script name apps already use) and the demo app. WebSocket upgrades on the same
 * server are handled by SignallingServer.
 */
export class HttpServer {
  readonly fastify: FastifyInstance;
  readonly roots: StaticRoots;
  /** Which proxies' `X-Forwarded-For` is believed (`http.trustProxy`). */
  readonly trust: ProxyTrust;
  /** The separate monitoring server (`http.monitoringPort`), if configured. */
  readonly #monitor: FastifyInstance | null;
  readonly #deps: HttpServerDeps;
  readonly #startedAt = Date.now();
  #ready = false;
  #closed: Promise<void> | null = null;

  constructor(deps: HttpServerDeps) {
    this.#deps = deps;
    this.roots = staticRoots(deps.config);
    this.trust = compileTrust(deps.config.http.trustProxy);
    const options = {
      // tsc needs the assertion: it picks Fastify's logger type parameter.
      loggerInstance: deps.log as FastifyBaseLogger,
      // One line per HTTP request would drown the signalling logs; errors are still logged.
      logController: new LogController({ disableRequestLogging: true }),
      // Keep-alive sockets must not hold shutdown.
      forceCloseConnections: true,
      // request.ip and request.protocol follow the same proxies as the rest (clientAddress).
      trustProxy: this.trust,
    };
    this.fastify = Fastify(options);
    const { monitoringPort } = deps.config.http;
    this.#monitor = monitoringPort === undefined ? null : Fastify(options);
    this.#routes();
    if (this.#monitor) {
      this.#monitor.addHook('onSend', async (_request, reply, payload) => {
        applySecurityHeaders(reply);
        return payload;
      });
      registerMonitoringRoutes(this.#monitor, this.#monitoring(true));
      this.#monitor.get('/healthz', async (_request, reply) => this.#health(reply));
    }
  }

  /** The underlying Node server (for WebSocket upgrades). */
  get server(): Server {
    return this.fastify.server;
  }

  /** Starts listening; returns the bound port. */
  async listen(): Promise<number> {
    const { config } = this.#deps;
    await this.fastify.listen({ port: config.port, host: config.host });
    if (this.#monitor) await this.#monitor.listen({ port: config.http.monitoringPort, host: config.http.monitoringHost });
    return boundPort(this.fastify);
  }

  /** Port of the separate monitoring server, or null when `/metrics` is on the main port. */
  get monitoringPort(): number | null {
    return this.#monitor === null ? null : boundPort(this.#monitor);
  }

  /** From now on /healthz answers 200. */
  markReady(): void {
    this.#ready = true;
  }

  /** From now on /healthz answers 503 (shutdown started). */
  markStopping(): void {
    this.#ready = false;
  }

  /** Stops listening and closes every HTTP connection; safe to call twice. */
  close(): Promise<void> {
    this.#ready = false;
    this.#closed ??= Promise.all([this.fastify.close(), this.#monitor?.close()]).then(() => undefined);
    return this.#closed;
  }

  #health(reply: FastifyReply): FastifyReply {
    const body = {
      status: this.#ready ? 'ok' : 'starting',
      version: this.#deps.serverVersion,
      uptimeS: Math.round((Date.now() - this.#startedAt) / 1000),
      sessions: this.#deps.sessionCount(),
    };
    return reply
      .code(this.#ready ? 200 : 503)
      .header('Cache-Control', 'no-store')
      .send(body);
  }

  #monitoring(dedicatedPort: boolean): MonitoringSources {
    const { config, stats, metrics } = this.#deps;
    return {
      access: { token: config.http.statsToken, trust: this.trust, dedicatedPort },
      ...(stats ? { stats } : {}),
      ...(metrics && config.http.metrics ? { metrics } : {}),
    };
  }

  #routes(): void {
    const app = this.fastify;
    const { serverVersion } = this.#deps;
    // Any origin may call the lookup and load the SDK; nothing here relies on cookies.
    // PUT: cloud media uploads, authorised by their ticket (a bearer path), not by cookies.
    void app.register(cors, { origin: '*', methods: ['GET', 'HEAD', 'OPTIONS', 'PUT'] });
    app.addHook('onSend', async (_request, reply, payload) => {
      applySecurityHeaders(reply);
      return payload;
    });

    app.get('/healthz', async (_request, reply) => this.#health(reply));

    app.get('/api/v1/lookup', async (_request, reply) =>
      reply.header('Cache-Control', 'no-store').send({
        wsPath: WS_PATH,
        serverVersion,
        protocolVersion: PROTOCOL_VERSION,
        // In a cluster: where the SDK reconnects when this node stops answering.
        ...(this.#deps.nodes ? { nodes: this.#deps.nodes() } : {}),
      }),
    );

    // Counts across every tenant: on the monitoring port when there is one, else here.
    if (this.#monitor) registerMovedMonitoringRoutes(app);
    else registerMonitoringRoutes(app, this.#monitoring(false));

    app.get(WS_PATH, async (_request, reply) =>
      reply.code(426).header('Upgrade', 'websocket').type('text/plain; charset=utf-8').send('WebSocket endpoint: upgrade required\n'),
    );

    this.#deps.routes?.(app);

    const sdk = new StaticDirectory(this.roots.sdkDir, { what: 'SDK bundle', cors: true });
    app.get('/sdk/*', async (request, reply) => sdk.serve(request, reply, wildcard(request.params)));
    // Apps written for apiRTC load the script by this name; the bundle's source map comment
    // then points next to it.
    app.get('/apiRTC/apiRTC-latest.min.js', async (request, reply) => sdk.serve(request, reply, 'parley.js'));
    app.get('/apiRTC/parley.js.map', async (request, reply) => sdk.serve(request, reply, 'parley.js.map'));

    const site = new StaticDirectory(this.roots.appDir, { what: 'demo app', spaFallback: true, htmlCsp: APP_CSP });
    app.get('/', async (request, reply) => site.serve(request, reply, 'index.html'));
    app.get('/*', async (request, reply) => site.serve(request, reply, wildcard(request.params)));
  }
}

function boundPort(app: FastifyInstance): number {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return address.port;
}

function wildcard(params: unknown): string {
  return (params as { '*'?: string })['*'] ?? '';
}
