import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './Config.js';
import { ConfigError } from './ConfigError.js';
import { loadConfig } from './loadConfig.js';

const emptyDir = (): string => mkdtempSync(join(tmpdir(), 'parley-config-'));

describe('loadConfig', () => {
  it('uses defaults when nothing is set', () => {
    const cwd = emptyDir();
    const config = loadConfig({}, undefined, cwd);
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', dataDir: join(cwd, 'data'), demoKey: true, logLevel: 'info' });
    expect(config.limits).toMatchObject({
      resumeWindowMs: 10_000,
      maxMessageBytes: 65_536,
      maxConnections: 50_000,
      handshakeTimeoutMs: 10_000,
      rateLimit: { burst: 100, perSecond: 50, maxRefusals: 200, refusalWindowMs: 10_000 },
      invalidFrames: { max: 20, windowMs: 10_000 },
      replayEvents: 512,
      answerCache: 128,
    });
  });

  it('reads the per-client limits and the HTTP security settings from the environment', () => {
    const cwd = emptyDir();
    const defaults = loadConfig({}, undefined, cwd);
    expect(defaults.http).toEqual({ trustProxy: false, metrics: true, monitoringHost: '127.0.0.1' });
    expect(defaults.limits).toMatchObject({ maxConnectionsPerIp: 200, maxSessionsPerKey: 20_000, peerCreations: { max: 20, windowMs: 60_000 } });
    const config = loadConfig(
      {
        PARLEY_STATS_TOKEN: 'a-long-enough-stats-token',
        PARLEY_TRUST_PROXY: 'on',
        PARLEY_MAX_CONNECTIONS_PER_IP: '7',
        PARLEY_MAX_SESSIONS_PER_KEY: '9',
      },
      undefined,
      cwd,
    );
    expect(config.http).toEqual({ statsToken: 'a-long-enough-stats-token', trustProxy: true, metrics: true, monitoringHost: '127.0.0.1' });
    const behindProxies = loadConfig({ PARLEY_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8', PARLEY_MONITORING_PORT: '9464', PARLEY_METRICS: 'off' }, undefined, cwd);
    expect(behindProxies.http).toMatchObject({ trustProxy: ['127.0.0.1', '10.0.0.0/8'], monitoringPort: 9464, metrics: false });
    expect(() => loadConfig({ PARLEY_TRUST_PROXY: '10.0.0.0/99' }, undefined, cwd)).toThrow(/http.trustProxy/);
    expect(config.limits).toMatchObject({ maxConnectionsPerIp: 7, maxSessionsPerKey: 9 });
    expect(() => loadConfig({ PARLEY_STATS_TOKEN: 'short' }, undefined, cwd)).toThrow(/http.statsToken/);
  });

  it('reads the media settings from the environment and checks the port range', () => {
    const cwd = emptyDir();
    const config = loadConfig(
      { PARLEY_MEDIA_ANNOUNCED_IP: '203.0.113.7', PARLEY_MEDIA_PORT_MIN: '40000', PARLEY_MEDIA_PORT_MAX: '40100', PARLEY_MEDIA_FD_RESERVE: '256' },
      undefined,
      cwd,
    );
    expect(config.media).toEqual({
      announcedAddress: '203.0.113.7',
      portMin: 40000,
      portMax: 40100,
      fdReserve: 256,
      maxSectionsPerOffer: 16,
      maxSubscriptionsPerPeer: 128,
      transportTimeoutMs: 30_000,
      nackRetransmitRatio: 0.2,
      nackBurst: 64,
      nackRepeatWindowMs: 100,
      workers: 'auto',
      iceRepairPort: 'auto',
    });
    expect(config.conversations).toMatchObject({ relayTimeoutMs: 10_000, meshMaxParticipants: 4, lossThreshold: 0.1, lossReports: 3 });
    expect(loadConfig({ PARLEY_MEDIA_WORKERS: '0' }, undefined, cwd).media.workers).toBe(0);
    expect(loadConfig({ PARLEY_MEDIA_WORKERS: '3' }, undefined, cwd).media.workers).toBe(3);
    expect(() => loadConfig({ PARLEY_MEDIA_WORKERS: 'many' }, undefined, cwd)).toThrow(/PARLEY_MEDIA_WORKERS/);
    expect(loadConfig({ PARLEY_MEDIA_ICE_REPAIR_PORT: '3479' }, undefined, cwd).media.iceRepairPort).toBe(3479);
    expect(loadConfig({ PARLEY_MEDIA_ICE_REPAIR_PORT: 'off' }, undefined, cwd).media.iceRepairPort).toBe('off');
    expect(() => loadConfig({ PARLEY_MEDIA_ICE_REPAIR_PORT: 'sometimes' }, undefined, cwd)).toThrow(/iceRepairPort/);
    expect(() => loadConfig({ PARLEY_MEDIA_ICE_REPAIR_PORT: '70000' }, undefined, cwd)).toThrow(/iceRepairPort/);
    expect(loadConfig({ PARLEY_DRAIN_SECONDS: '30' }, undefined, cwd).shutdown.drainSeconds).toBe(30);
    expect(
      loadConfig({ PARLEY_REDIS_URL: 'redis://127.0.0.1:6379', PARLEY_NODE_ID: 'node-2', PARLEY_CLUSTER_HEARTBEAT_MS: '500' }, undefined, cwd).cluster,
    ).toMatchObject({ redis: 'redis://127.0.0.1:6379', nodeId: 'node-2', heartbeatMs: 500 });
    expect(loadConfig({}, undefined, cwd).cluster.redis).toBeUndefined();
    expect(() => loadConfig({ PARLEY_MEDIA_PORT_MIN: '40000' }, undefined, cwd)).toThrow(ConfigError);
    expect(() => loadConfig({ PARLEY_MEDIA_PORT_MIN: '40100', PARLEY_MEDIA_PORT_MAX: '40000' }, undefined, cwd)).toThrow(ConfigError);
  });

  it('reads the environment', () => {
    const cwd = emptyDir();
    const config = loadConfig(
      {
        PORT: '4000',
        HOST: '127.0.0.1',
        PARLEY_DATA_DIR: 'var/parley',
        PARLEY_DEMO_KEY: 'off',
        LOG_LEVEL: 'debug',
        PARLEY_RESUME_WINDOW_MS: '2500',
        PARLEY_RATE_LIMIT_BURST: '10',
        PARLEY_RATE_LIMIT_PER_SECOND: '5',
        PARLEY_MAX_CONNECTIONS: '7',
        PARLEY_MAX_MESSAGE_BYTES: '1024',
        PARLEY_PING_INTERVAL_MS: '1000',
      },
      undefined,
      cwd,
    );
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', dataDir: join(cwd, 'var/parley'), demoKey: false, logLevel: 'debug' });
    expect(config.limits).toMatchObject({
      resumeWindowMs: 2500,
      maxConnections: 7,
      maxMessageBytes: 1024,
      pingIntervalMs: 1000,
      rateLimit: { burst: 10, perSecond: 5 },
    });
  });

  it('reads ./parley.config.json, with paths relative to the file, and lets the environment win', () => {
    const cwd = emptyDir();
    writeFileSync(
      join(cwd, 'parley.config.json'),
      JSON.stringify({ port: 5000, dataDir: 'store', demoKey: false, limits: { resumeWindowMs: 1234, rateLimit: { burst: 7 } } }),
    );
    const config = loadConfig({ PORT: '6000' }, undefined, cwd);
    expect(config.port).toBe(6000);
    expect(config.dataDir).toBe(join(cwd, 'store'));
    expect(config.demoKey).toBe(false);
    expect(config.limits.resumeWindowMs).toBe(1234);
    expect(config.limits.rateLimit).toMatchObject({ burst: 7, perSecond: 50 });
  });

  it('reads the file named by PARLEY_CONFIG and fails when it is missing', () => {
    const dir = emptyDir();
    const file = join(dir, 'custom.json');
    writeFileSync(file, JSON.stringify({ host: '::1' }));
    expect(loadConfig({ PARLEY_CONFIG: file }, undefined, emptyDir()).host).toBe('::1');
    expect(() => loadConfig({ PARLEY_CONFIG: join(dir, 'missing.json') }, undefined, dir)).toThrow(/Cannot read configuration file/);
  });

  it('fails fast with clear messages on bad values', () => {
    const cwd = emptyDir();
    expect(() => loadConfig({ PORT: 'abc' }, undefined, cwd)).toThrow("PORT must be a number, got 'abc'");
    expect(() => loadConfig({ PARLEY_DEMO_KEY: 'maybe' }, undefined, cwd)).toThrow(/PARLEY_DEMO_KEY must be 'on' or 'off'/);
    expect(() => loadConfig({ PORT: '70000' }, undefined, cwd)).toThrow(/port:/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' }, undefined, cwd)).toThrow(/logLevel:/);
    writeFileSync(join(cwd, 'parley.config.json'), '{ not json');
    expect(() => loadConfig({}, undefined, cwd)).toThrow(/not valid JSON/);
  });

  it('rejects unknown keys (typos) and limits beyond the WebSocket cap', () => {
    expect(() => resolveConfig({ prot: 1 })).toThrow(ConfigError);
    expect(() => resolveConfig({ limits: { maxMessageBytes: 2 * 1024 * 1024 } })).toThrow(/limits.maxMessageBytes/);
  });

  it('reads the ICE servers (STUN, TURN with its secret) and the UDP mux port from the environment', () => {
    const cwd = emptyDir();
    expect(loadConfig({}, undefined, cwd).ice).toEqual({ stunUrls: [], turnUrls: [], credentialTtlS: 86_400 });
    const config = loadConfig(
      {
        PARLEY_STUN_URLS: 'stun:turn.example.com:3478',
        PARLEY_TURN_URLS: 'turn:turn.example.com:3478?transport=udp, turn:turn.example.com:3478?transport=tcp,turns:turn.example.com:5349',
        PARLEY_TURN_SECRET: 'a-shared-secret-of-some-length',
        PARLEY_TURN_TTL_S: '600',
        PARLEY_MEDIA_UDP_MUX_PORT: '40000',
      },
      undefined,
      cwd,
    );
    expect(config.ice).toEqual({
      stunUrls: ['stun:turn.example.com:3478'],
      turnUrls: ['turn:turn.example.com:3478?transport=udp', 'turn:turn.example.com:3478?transport=tcp', 'turns:turn.example.com:5349'],
      turnSecret: 'a-shared-secret-of-some-length',
      credentialTtlS: 600,
    });
    expect(config.media.udpMuxPort).toBe(40_000);
  });

  it('refuses TURN URLs without a secret, a bad URL scheme, and a mux port with a port range', () => {
    const cwd = emptyDir();
    expect(() => loadConfig({ PARLEY_TURN_URLS: 'turn:t.example.com:3478' }, undefined, cwd)).toThrow(/turnUrls need turnSecret/);
    expect(() => loadConfig({ PARLEY_STUN_URLS: 'http://t.example.com' }, undefined, cwd)).toThrow(ConfigError);
    expect(() => loadConfig({ PARLEY_MEDIA_UDP_MUX_PORT: '40000', PARLEY_MEDIA_PORT_MIN: '41000', PARLEY_MEDIA_PORT_MAX: '41010' }, undefined, cwd)).toThrow(
      /udpMuxPort excludes/,
    );
  });
});
