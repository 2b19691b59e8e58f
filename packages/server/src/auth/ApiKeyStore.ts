import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Database } from '../storage/Database.js';
import { ApiKeyError } from './ApiKeyError.js';

/** The API key every fresh server accepts unless the demo key is switched off. */
export const DEMO_API_KEY = 'myDemoApiKey';

/** One API key (a tenant): users of different keys never see each other. */
export interface ApiKey {
  key: string;
  /**
   * HS256 secret for the JWTs of identified users: 32 random bytes, base64url-encoded. The
   * HMAC key is the UTF-8 bytes of this string, which is what JWT libraries do with a string.
   */
  secret: string;
  enabled: boolean;
  /** Origins allowed to open sockets for this key (exact match, `*` = any); null = any. */
  allowedOrigins: string[] | null;
  /** Whether users may register without a token. */
  allowAnonymous: boolean;
  /**
   * Whether an anonymous user's requested `userId` is honoured (never one reserved for an
   * identified user); otherwise anonymous users get server-assigned ids. Off for new keys, on for
   * the demo key.
   */
  allowChosenIds: boolean;
  /**
   * Whether the moderator role of moderated conversations needs the token grant
   * `grants.parley_moderator` (docs/operations.md § Moderation); otherwise the first user asking
   * for it gets it. Off by default.
   */
  moderatorGrant: boolean;
  label: string | null;
  /** ISO 8601 creation time. */
  createdAt: string;
}

/** Options of {@link ApiKeyStore.create}. */
export interface CreateApiKeyOptions {
  /** The key itself; default: 32 random hex characters. */
  key?: string;
  label?: string | null;
  allowedOrigins?: string[] | null;
  /** Default true. */
  allowAnonymous?: boolean;
  /** Default false. */
  allowChosenIds?: boolean;
  /** Default false. */
  moderatorGrant?: boolean;
}

interface Row {
  key: string;
  secret: string;
  enabled: number;
  allowed_origins: string | null;
  allow_anonymous: number;
  chosen_ids: number;
  moderator_grant: number;
  label: string | null;
  created_at: string;
}

const KEY_PATTERN = /^[A-Za-z0-9_.-]{1,256}$/;

/**
 * API keys and their secrets, in the `api_keys` table. Reads go to SQLite every time (a
 * prepared statement costs microseconds) so a key disabled from the CLI takes effect at the
 * next registration without restarting the server.
 */
export class ApiKeyStore {
  readonly #get: Statement<[string], Row>;
  readonly #list: Statement<[], Row>;
  readonly #insert: Statement<[Row]>;
  readonly #setEnabled: Statement<[number, string]>;
  readonly #setSecret: Statement<[string, string]>;

  constructor(db: Database) {
    const h = db.handle;
    this.#get = h.prepare<[string], Row>('SELECT * FROM api_keys WHERE key = ?');
    this.#list = h.prepare<[], Row>('SELECT * FROM api_keys ORDER BY created_at, key');
    this.#insert = h.prepare<[Row]>(
      `INSERT INTO api_keys (key, secret, enabled, allowed_origins, allow_anonymous, chosen_ids, moderator_grant, label, created_at)
       VALUES (@key, @secret, @enabled, @allowed_origins, @allow_anonymous, @chosen_ids, @moderator_grant, @label, @created_at)`,
    );
    this.#setEnabled = h.prepare<[number, string]>('UPDATE api_keys SET enabled = ? WHERE key = ?');
    this.#setSecret = h.prepare<[string, string]>('UPDATE api_keys SET secret = ? WHERE key = ?');
  }

  /**
   * Creates an enabled key with a fresh secret.
   * @throws ApiKeyError `API_KEY_EXISTS` if the key is taken, `API_KEY_INVALID` if malformed.
   */
  create(options: CreateApiKeyOptions = {}): ApiKey {
    const key = options.key ?? randomBytes(16).toString('hex');
    if (!KEY_PATTERN.test(key)) {
      throw new ApiKeyError('API_KEY_INVALID', `invalid apiKey '${key}': use 1-256 letters, digits, '_', '.', '-'`);
    }
    if (this.get(key)) throw new ApiKeyError('API_KEY_EXISTS', `apiKey ${key} already exists`);
    const origins = options.allowedOrigins ?? null;
    const row: Row = {
      key,
      secret: randomBytes(32).toString('base64url'),
      enabled: 1,
      allowed_origins: origins === null ? null : JSON.stringify(origins),
      allow_anonymous: options.allowAnonymous === false ? 0 : 1,
      chosen_ids: options.allowChosenIds === true ? 1 : 0,
      moderator_grant: options.moderatorGrant === true ? 1 : 0,
      label: options.label ?? null,
      created_at: new Date().toISOString(),
    };
    this.#insert.run(row);
    return toApiKey(row);
  }

  /**
   * Takes a key as another node of the cluster has it (cluster/ApiKeySync): added when unknown
   * here, else only its secret is taken, so that tokens verify on every node. Its other settings
   * (enabled, origins…) stay this node's own.
   * @returns true when something changed
   */
  adopt(shared: ApiKey): boolean {
    const local = this.get(shared.key);
    if (!local) {
      this.#insert.run({
        key: shared.key,
        secret: shared.secret,
        enabled: shared.enabled ? 1 : 0,
        allowed_origins: shared.allowedOrigins === null ? null : JSON.stringify(shared.allowedOrigins),
        allow_anonymous: shared.allowAnonymous ? 1 : 0,
        chosen_ids: shared.allowChosenIds ? 1 : 0,
        moderator_grant: shared.moderatorGrant ? 1 : 0,
        label: shared.label,
        created_at: shared.createdAt,
      });
      return true;
    }
    if (local.secret === shared.secret) return false;
    this.#setSecret.run(shared.secret, shared.key);
    return true;
  }

  /** Every key, oldest first. */
  list(): ApiKey[] {
    return this.#list.all().map(toApiKey);
  }

  /** The key, or undefined when unknown. */
  get(key: string): ApiKey | undefined {
    const row = this.#get.get(key);
    return row ? toApiKey(row) : undefined;
  }

  /**
   * Refuses new registrations with this key (sessions already open keep running).
   * @throws ApiKeyError `API_KEY_NOT_FOUND`.
   */
  disable(key: string): void {
    this.#update(key, false);
  }

  /** @throws ApiKeyError `API_KEY_NOT_FOUND`. */
  enable(key: string): void {
    this.#update(key, true);
  }

  /**
   * Makes sure {@link DEMO_API_KEY} exists (its secret is generated once and kept) and is
   * enabled or disabled as asked.
   */
  ensureDemoKey(enabled: boolean): ApiKey {
    const existing = this.get(DEMO_API_KEY);
    if (!existing) {
      // Demo apps pick their users' ids (e.g. `register({id: 'alice'})`): chosen ids stay allowed.
      const created = this.create({ key: DEMO_API_KEY, label: 'demo', allowChosenIds: true });
      if (!enabled) this.disable(DEMO_API_KEY);
      return { ...created, enabled };
    }
    if (existing.enabled !== enabled) this.#update(DEMO_API_KEY, enabled);
    return { ...existing, enabled };
  }

  #update(key: string, enabled: boolean): void {
    const result = this.#setEnabled.run(enabled ? 1 : 0, key);
    if (result.changes === 0) throw new ApiKeyError('API_KEY_NOT_FOUND', `unknown apiKey ${key}`);
  }
}

function toApiKey(row: Row): ApiKey {
  return {
    key: row.key,
    secret: row.secret,
    enabled: row.enabled === 1,
    allowedOrigins: row.allowed_origins === null ? null : (JSON.parse(row.allowed_origins) as string[]),
    allowAnonymous: row.allow_anonymous === 1,
    allowChosenIds: row.chosen_ids === 1,
    moderatorGrant: row.moderator_grant === 1,
    label: row.label,
    createdAt: row.created_at,
  };
}
