import { parseArgs } from 'node:util';
import { type ApiKey, ApiKeyStore, DEMO_API_KEY } from '../auth/ApiKeyStore.js';
import { ApiKeyError } from '../auth/ApiKeyError.js';
import { mintToken } from '../auth/mintToken.js';
import type { Config } from '../config/Config.js';
import { ConfigError } from '../config/ConfigError.js';
import { loadConfig } from '../config/loadConfig.js';
import { Database } from '../storage/Database.js';
import { DatabaseError } from '../storage/DatabaseError.js';
import { SERVER_VERSION } from '../version.js';
import { idsCommand } from './idsCommand.js';
import { recordingsCommand } from './recordingsCommand.js';
import { UsageError } from './UsageError.js';

/** Where the CLI reads its environment and writes its output (injectable for tests). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export const USAGE = `Usage: parley [command] [options]

Commands:
  serve                              Run the server (default command)
  keys create [--label L] [--origins a,b] [--no-anonymous] [--chosen-ids] [--moderator-grant] [--key K] [--json]
                                     Create an API key; prints the key and its secret.
                                     --chosen-ids lets anonymous users keep the id they ask
                                     for (never one reserved for an identified user);
                                     --moderator-grant: only tokens with the moderator grant
                                     get the moderator role of moderated conversations
  keys list [--json]                 List API keys (secrets are not shown)
  keys disable KEY                   Refuse new registrations with KEY
  keys enable KEY                    Accept registrations with KEY again
  token --key K --user U [--ttl S] [--moderator]
                                     Print a JWT for user U of key K (default ttl 3600 s;
                                     --user ApiKey_Token authorises any id; --moderator adds
                                     the moderator grant of --moderator-grant keys)
  ids list KEY [--json]              Ids reserved for identified users of KEY
  ids reserve KEY ID...              Reserve ids ahead of their users' first registration
  ids release KEY ID...              Let anonymous users have these ids again
  recordings list [--json]           Composite recordings: state, duration, size, file
  recordings delete MEDIA_ID...      Delete recordings (metadata and files)

Global options:
  --data-dir DIR                     Data directory (default: PARLEY_DATA_DIR or ./data)
  --config FILE                      Configuration file (default: PARLEY_CONFIG or ./parley.config.json)
  -h, --help                         Show this help
  -v, --version                      Show the version

Configuration is read as by the server: defaults < config file < environment < --data-dir.
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  label: { type: 'string' },
  origins: { type: 'string' },
  'no-anonymous': { type: 'boolean' },
  'chosen-ids': { type: 'boolean' },
  'moderator-grant': { type: 'boolean' },
  moderator: { type: 'boolean' },
  key: { type: 'string' },
  user: { type: 'string' },
  ttl: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

/**
 * Runs the `parley` command line. Returns the exit status (0 ok, 1 failure, 2 usage error);
 * `serve` returns 0 once the server listens and keeps the process alive.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (error) {
    io.stderr(`parley: ${(error as Error).message}\nRun 'parley --help' for usage.\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout(`${SERVER_VERSION}\n`);
    return 0;
  }
  try {
    const config = loadConfig(withDataDir(io.env, values['data-dir']), values.config, io.cwd);
    const [command = 'serve', sub, ...rest] = positionals;
    switch (command) {
      case 'serve':
        if (sub !== undefined) throw new UsageError(`unexpected argument '${sub}'`);
        {
          // Loaded on demand: the key commands should not pay for the HTTP stack.
          const { serve } = await import('../serve.js');
          await serve(config);
        }
        return 0;
      case 'keys':
        return withStore(config, (store) => keysCommand(store, sub, rest, values, io));
      case 'ids': {
        const { db, store } = openStore(config);
        try {
          return idsCommand(db, store, sub, rest, values.json === true, io);
        } finally {
          db.close();
        }
      }
      case 'recordings': {
        const db = Database.open(config.dataDir);
        try {
          return recordingsCommand(db, config.dataDir, sub, rest, values.json === true, io);
        } finally {
          db.close();
        }
      }
      case 'token':
        if (sub !== undefined) throw new UsageError(`unexpected argument '${sub}'`);
        return await withStoreAsync(config, (store) => tokenCommand(store, values, io));
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`parley: ${error.message}\nRun 'parley --help' for usage.\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof ApiKeyError || error instanceof DatabaseError) {
      io.stderr(`parley: ${error.message}\n`);
      return 1;
    }
    io.stderr(`parley: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

function keysCommand(store: ApiKeyStore, sub: string | undefined, rest: string[], values: Values, io: CliIo): number {
  switch (sub) {
    case 'create': {
      noMore(rest);
      const origins = values.origins === undefined ? null : parseOrigins(values.origins);
      const key = store.create({
        key: values.key,
        label: values.label ?? null,
        allowedOrigins: origins,
        allowAnonymous: !values['no-anonymous'],
        allowChosenIds: values['chosen-ids'] === true,
        moderatorGrant: values['moderator-grant'] === true,
      });
      if (values.json) io.stdout(JSON.stringify(key, null, 2) + '\n');
      else {
        io.stdout(
          `key:       ${key.key}\nsecret:    ${key.secret}\nanonymous: ${key.allowAnonymous ? 'allowed' : 'refused'}\n` +
            `chosen ids: ${key.allowChosenIds ? 'allowed for anonymous users' : 'no (anonymous users get assigned ids)'}\n` +
            `moderator: ${key.moderatorGrant ? 'needs the token grant parley_moderator' : 'first user asking for it'}\n` +
            `origins:   ${key.allowedOrigins === null ? 'any' : key.allowedOrigins.join(', ')}\n` +
            `Keep the secret private: it signs the tokens of identified users (HS256).\n`,
        );
      }
      return 0;
    }
    case 'list': {
      noMore(rest);
      const keys = store.list().map(({ secret: _secret, ...visible }) => visible);
      if (values.json) io.stdout(JSON.stringify(keys, null, 2) + '\n');
      else io.stdout(table(keys));
      return 0;
    }
    case 'disable':
    case 'enable': {
      const [key, ...extra] = rest;
      if (key === undefined) throw new UsageError(`keys ${sub} needs a KEY`);
      noMore(extra);
      if (sub === 'disable') store.disable(key);
      else store.enable(key);
      io.stdout(`apiKey ${key} ${sub}d\n`);
      return 0;
    }
    case undefined:
      throw new UsageError('keys needs a subcommand: create, list, disable or enable');
    default:
      throw new UsageError(`unknown keys subcommand '${sub}'`);
  }
}

async function tokenCommand(store: ApiKeyStore, values: Values, io: CliIo): Promise<number> {
  if (values.key === undefined) throw new UsageError('token needs --key K');
  if (values.user === undefined || values.user === '') throw new UsageError('token needs --user U');
  let ttlS = 3600;
  if (values.ttl !== undefined) {
    ttlS = Number(values.ttl);
    if (!Number.isInteger(ttlS) || ttlS <= 0) throw new UsageError(`--ttl must be a positive integer (seconds), got '${values.ttl}'`);
  }
  const key = store.get(values.key);
  if (!key) throw new ApiKeyError('API_KEY_NOT_FOUND', `unknown apiKey ${values.key}`);
  if (!key.enabled) io.stderr(`parley: warning: apiKey ${key.key} is disabled; the server will refuse this token until it is enabled\n`);
  io.stdout((await mintToken(key, { userId: values.user, ttlS, moderator: values.moderator === true })) + '\n');
  return 0;
}

function openStore(config: Config): { db: Database; store: ApiKeyStore } {
  const db = Database.open(config.dataDir);
  const store = new ApiKeyStore(db);
  // A fresh data directory gets the demo key as the server would create it; an existing
  // one is left as the server configured it.
  if (!store.get(DEMO_API_KEY)) store.ensureDemoKey(config.demoKey);
  return { db, store };
}

function withStore(config: Config, run: (store: ApiKeyStore) => number): number {
  const { db, store } = openStore(config);
  try {
    return run(store);
  } finally {
    db.close();
  }
}

async function withStoreAsync(config: Config, run: (store: ApiKeyStore) => Promise<number>): Promise<number> {
  const { db, store } = openStore(config);
  try {
    return await run(store);
  } finally {
    db.close();
  }
}

function withDataDir(env: CliIo['env'], dataDir: string | undefined): CliIo['env'] {
  return dataDir === undefined ? env : { ...env, PARLEY_DATA_DIR: dataDir };
}

function parseOrigins(text: string): string[] {
  const origins = text
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  if (origins.length === 0) throw new UsageError('--origins needs at least one origin, e.g. https://app.example.com');
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/i.test(origin)) {
      throw new UsageError(`invalid origin '${origin}': expected scheme://host[:port], e.g. https://app.example.com`);
    }
  }
  return origins;
}

function noMore(rest: string[]): void {
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
}

function table(keys: Omit<ApiKey, 'secret'>[]): string {
  const rows = [
    ['KEY', 'ENABLED', 'ANONYMOUS', 'CHOSEN-IDS', 'MODERATOR-GRANT', 'ORIGINS', 'LABEL', 'CREATED'],
    ...keys.map((k) => [
      k.key,
      k.enabled ? 'yes' : 'no',
      k.allowAnonymous ? 'yes' : 'no',
      k.allowChosenIds ? 'yes' : 'no',
      k.moderatorGrant ? 'yes' : 'no',
      k.allowedOrigins === null ? 'any' : k.allowedOrigins.join(','),
      k.label ?? '',
      k.createdAt,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i] as number))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
