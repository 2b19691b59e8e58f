import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Config, resolveConfig } from './Config.js';
import { ConfigError } from './ConfigError.js';

type Env = Record<string, string | undefined>;
type Json = Record<string, unknown>;

/** Environment variables and where they land in the configuration. */
const NUMERIC_ENV: ReadonlyArray<[name: string, path: readonly string[]]> = [
  ['PORT', ['port']],
  ['PARLEY_RESUME_WINDOW_MS', ['limits', 'resumeWindowMs']],
  ['PARLEY_MAX_MESSAGE_BYTES', ['limits', 'maxMessageBytes']],
  ['PARLEY_MAX_CONNECTIONS', ['limits', 'maxConnections']],
  ['PARLEY_MAX_CONNECTIONS_PER_IP', ['limits', 'maxConnectionsPerIp']],
  ['PARLEY_MAX_SESSIONS_PER_KEY', ['limits', 'maxSessionsPerKey']],
  ['PARLEY_HANDSHAKE_TIMEOUT_MS', ['limits', 'handshakeTimeoutMs']],
  ['PARLEY_PING_INTERVAL_MS', ['limits', 'pingIntervalMs']],
  ['PARLEY_RATE_LIMIT_BURST', ['limits', 'rateLimit', 'burst']],
  ['PARLEY_RATE_LIMIT_PER_SECOND', ['limits', 'rateLimit', 'perSecond']],
  ['PARLEY_MEDIA_PORT_MIN', ['media', 'portMin']],
  ['PARLEY_MEDIA_PORT_MAX', ['media', 'portMax']],
  ['PARLEY_MEDIA_FD_RESERVE', ['media', 'fdReserve']],
  ['PARLEY_DRAIN_SECONDS', ['shutdown', 'drainSeconds']],
  ['PARLEY_RECORDING_RETENTION_DAYS', ['recording', 'retentionDays']],
  ['PARLEY_RECORDING_URL_TTL_S', ['recording', 'urlTtlSeconds']],
  ['PARLEY_RECORDING_THREADS', ['recording', 'threads']],
  ['PARLEY_MONITORING_PORT', ['http', 'monitoringPort']],
  ['PARLEY_TURN_TTL_S', ['ice', 'credentialTtlS']],
  ['PARLEY_MEDIA_UDP_MUX_PORT', ['media', 'udpMuxPort']],
  ['PARLEY_CLUSTER_HEARTBEAT_MS', ['cluster', 'heartbeatMs']],
];
const STRING_ENV: ReadonlyArray<[name: string, path: readonly string[]]> = [
  ['HOST', ['host']],
  ['PARLEY_DATA_DIR', ['dataDir']],
  ['LOG_LEVEL', ['logLevel']],
  ['PARLEY_SDK_DIR', ['sdkDir']],
  ['PARLEY_APP_DIR', ['appDir']],
  ['PARLEY_MEDIA_ANNOUNCED_IP', ['media', 'announcedAddress']],
  ['PARLEY_MEDIA_BIND_IP', ['media', 'bindAddress']],
  ['PARLEY_MEDIA_ICE_REPAIR_PORT', ['media', 'iceRepairPort']],
  ['PARLEY_STATS_TOKEN', ['http', 'statsToken']],
  ['PARLEY_MONITORING_HOST', ['http', 'monitoringHost']],
  ['PARLEY_FFMPEG', ['recording', 'ffmpegPath']],
  ['PARLEY_FFPROBE', ['recording', 'ffprobePath']],
  ['PARLEY_PUBLIC_URL', ['recording', 'publicUrl']],
  ['PARLEY_TURN_SECRET', ['ice', 'turnSecret']],
  ['PARLEY_REDIS_URL', ['cluster', 'redis']],
  ['PARLEY_NODE_ID', ['cluster', 'nodeId']],
];
/** Comma-separated lists. */
const LIST_ENV: ReadonlyArray<[name: string, path: readonly string[]]> = [
  ['PARLEY_STUN_URLS', ['ice', 'stunUrls']],
  ['PARLEY_TURN_URLS', ['ice', 'turnUrls']],
];

/** Name of the configuration file picked up from the working directory. */
export const DEFAULT_CONFIG_FILE = 'parley.config.json';

/**
 * Builds the server configuration from, in increasing priority: defaults, a JSON file
 * (`file`, else `PARLEY_CONFIG`, else `./parley.config.json` when it exists) and environment
 * variables.
 *
 * Paths found in the file are relative to the file; paths from the environment or defaults
 * are relative to `cwd`.
 * @throws ConfigError on an unreadable file, a malformed variable or an invalid value.
 */
export function loadConfig(env: Env = process.env, file?: string, cwd: string = process.cwd()): Config {
  const fromFile = readConfigFile(env, file, cwd);
  // The server process runs one media worker per core unless told otherwise; startServer()
  // callers (tests, embedders) keep the in-process SFU by default.
  const merged = deepMerge(deepMerge({ media: { workers: 'auto' } }, fromFile), fromEnv(env));
  return resolveConfig(merged, cwd);
}

function readConfigFile(env: Env, file: string | undefined, cwd: string): Json {
  const explicit = file ?? nonEmpty(env.PARLEY_CONFIG);
  const path = explicit !== undefined ? resolve(cwd, explicit) : resolve(cwd, DEFAULT_CONFIG_FILE);
  if (explicit === undefined && !existsSync(path)) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read configuration file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Configuration file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(json)) throw new ConfigError(`Configuration file ${path} must hold a JSON object`);
  // A path written in a file means "next to this file", wherever the server is started from.
  for (const key of ['dataDir', 'sdkDir', 'appDir']) {
    const value = json[key];
    if (typeof value === 'string' && value.length > 0) json[key] = resolve(dirname(path), value);
  }
  return json;
}

function fromEnv(env: Env): Json {
  const out: Json = {};
  for (const [name, path] of STRING_ENV) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) setPath(out, path, value);
  }
  for (const [name, path] of LIST_ENV) {
    const value = nonEmpty(env[name]);
    if (value !== undefined)
      setPath(
        out,
        path,
        value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
      );
  }
  for (const [name, path] of NUMERIC_ENV) {
    const value = nonEmpty(env[name]);
    if (value === undefined) continue;
    const n = Number(value);
    if (!Number.isFinite(n)) throw new ConfigError(`${name} must be a number, got '${value}'`);
    setPath(out, path, n);
  }
  const demo = nonEmpty(env.PARLEY_DEMO_KEY);
  if (demo !== undefined) setPath(out, ['demoKey'], parseSwitch('PARLEY_DEMO_KEY', demo));
  const trustProxy = nonEmpty(env.PARLEY_TRUST_PROXY);
  if (trustProxy !== undefined) setPath(out, ['http', 'trustProxy'], parseTrustProxy(trustProxy));
  const metrics = nonEmpty(env.PARLEY_METRICS);
  if (metrics !== undefined) setPath(out, ['http', 'metrics'], parseSwitch('PARLEY_METRICS', metrics));
  const workers = nonEmpty(env.PARLEY_MEDIA_WORKERS);
  if (workers !== undefined) {
    const n = Number(workers);
    if (workers !== 'auto' && !Number.isInteger(n)) throw new ConfigError(`PARLEY_MEDIA_WORKERS must be 'auto' or a number, got '${workers}'`);
    setPath(out, ['media', 'workers'], workers === 'auto' ? 'auto' : n);
  }
  const recording = nonEmpty(env.PARLEY_RECORDING);
  if (recording !== undefined) setPath(out, ['recording', 'enabled'], parseSwitch('PARLEY_RECORDING', recording));
  return out;
}

/** `PARLEY_TRUST_PROXY`: on/off, or a comma-separated list of proxy addresses and CIDR ranges. */
function parseTrustProxy(value: string): boolean | string[] {
  if (/^(on|off|true|false|yes|no|1|0)$/i.test(value)) return parseSwitch('PARLEY_TRUST_PROXY', value);
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function parseSwitch(name: string, value: string): boolean {
  switch (value.toLowerCase()) {
    case 'on':
    case 'true':
    case '1':
    case 'yes':
      return true;
    case 'off':
    case 'false':
    case '0':
    case 'no':
      return false;
    default:
      throw new ConfigError(`${name} must be 'on' or 'off', got '${value}'`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (isObject(next)) node = next;
    else node = node[key] = {};
  }
  node[path[path.length - 1] as string] = value;
}

function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isObject(prev) && isObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}
