import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerMetrics } from '../metrics/ServerMetrics.js';
import { type StatsAccess, statsRefusal } from './statsAccess.js';

/** What the monitoring routes serve. */
export interface MonitoringSources {
  access: StatsAccess;
  /** Body of `GET /api/v1/stats`. */
  stats?: () => unknown;
  /** `GET /metrics` (Prometheus text); absent when `http.metrics` is off. */
  metrics?: ServerMetrics;
}

/**
 * `GET /api/v1/stats` (JSON counters) and `GET /metrics` (Prometheus exposition), both under the
 * stats access rule (see statsAccess): counts across every tenant are not for the public, nor
 * for browsers of other origins (no CORS).
 */
export function registerMonitoringRoutes(app: FastifyInstance, sources: MonitoringSources): void {
  const refused = (request: FastifyRequest, reply: FastifyReply): FastifyReply | null => {
    reply.header('Cache-Control', 'no-store');
    const refusal = statsRefusal(request.raw, sources.access);
    if (!refusal) return null;
    if (refusal.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="parley-stats"');
    return reply
      .code(refusal.status)
      .type('text/plain; charset=utf-8')
      .send(refusal.message + '\n');
  };

  app.get('/api/v1/stats', { config: { cors: false } }, async (request, reply) => refused(request, reply) ?? reply.send(sources.stats?.() ?? {}));

  const { metrics } = sources;
  if (!metrics) {
    // Not the demo app's page either (its catch-all would answer 200 with HTML).
    app.get('/metrics', async (_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('metrics are disabled (http.metrics)\n'));
    return;
  }
  app.get('/metrics', { config: { cors: false } }, async (request, reply) => {
    const refusal = refused(request, reply);
    if (refusal) return refusal;
    const text = await metrics.text();
    return reply.type(metrics.contentType).send(text);
  });
}

/** On the public port when the monitoring endpoints moved to their own: a plain 404 saying where. */
export function registerMovedMonitoringRoutes(app: FastifyInstance): void {
  for (const path of ['/metrics', '/api/v1/stats']) {
    app.get(path, async (_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('served on the monitoring port (http.monitoringPort)\n'));
  }
}
