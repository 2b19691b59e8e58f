import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../logging/logger.js';
import { DatabaseError } from './DatabaseError.js';
import { type Migration, migrations as defaultMigrations } from './migrations.js';

export { DatabaseError };

/** File name of the database inside the data directory. */
export const DATABASE_FILE = 'parley.sqlite';

/** Mode of the data directory: it holds the API key secrets. */
export const DATA_DIR_MODE = 0o700;
/** Mode of the database file and its `-wal`/`-shm` companions. */
export const DATABASE_FILE_MODE = 0o600;

/** Options of {@link Database.open}. */
export interface DatabaseOpenOptions {
  /** Where tightened permissions (and failures to tighten them) are logged. */
  log?: Logger;
}

/**
 * The embedded SQLite database (`<dataDir>/parley.sqlite`), in WAL mode so the CLI can read
 * and write while a server runs on the same file. Migrations run when it opens.
 */
export class Database {
  /** Absolute path of the database file. */
  readonly path: string;
  readonly #db: BetterSqlite3.Database;
  #closed = false;

  private constructor(path: string, db: BetterSqlite3.Database) {
    this.path = path;
    this.#db = db;
  }

  /**
   * Opens (creating it and `dataDir` when missing) and migrates the database. The data
   * directory is created 0700 and the database 0600 (SQLite gives the `-wal`/`-shm` files the
   * database's mode); existing ones with wider permissions are tightened.
   * @throws DatabaseError when the file cannot be opened or was written by a newer Parley.
   */
  static open(dataDir: string, migrations: readonly Migration[] = defaultMigrations, options: DatabaseOpenOptions = {}): Database {
    const path = join(dataDir, DATABASE_FILE);
    let db: BetterSqlite3.Database;
    try {
      ensureDir(dataDir);
      restrict(dataDir, DATA_DIR_MODE, options.log);
      // Created before SQLite opens it, so the secrets are never readable by others.
      if (!existsSync(path)) closeSync(openSync(path, 'a', DATABASE_FILE_MODE));
      for (const file of [path, `${path}-wal`, `${path}-shm`]) restrict(file, DATABASE_FILE_MODE, options.log);
      db = new BetterSqlite3(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // The CLI and the server may write at the same moment; wait instead of failing.
      db.pragma('busy_timeout = 5000');
    } catch (error) {
      throw new DatabaseError('DB_OPEN_FAILED', `Cannot open database ${path}: ${(error as Error).message}`);
    }
    const database = new Database(path, db);
    try {
      database.#migrate(migrations);
    } catch (error) {
      db.close();
      throw error;
    }
    return database;
  }

  /** The better-sqlite3 handle, for stores that prepare their statements. */
  get handle(): BetterSqlite3.Database {
    return this.#db;
  }

  /** Highest migration applied. */
  get schemaVersion(): number {
    const row = this.#db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    return row.v ?? 0;
  }

  /** Closes the database; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #migrate(migrations: readonly Migration[]): void {
    this.#db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const current = this.schemaVersion;
    const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
    if (current > latest) {
      throw new DatabaseError('DB_TOO_NEW', `Database ${this.path} has schema version ${current}, newer than this server (${latest}); upgrade Parley`);
    }
    const record = this.#db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      this.#db.transaction(() => {
        this.#db.exec(migration.sql);
        record.run(migration.version, migration.name, new Date().toISOString());
      })();
    }
  }
}

/**
 * `mkdir -p`, one level at a time. Node 20's `mkdirSync(…, {recursive: true})` never returns for
 * some unwritable parents (e.g. under /proc); this fails with the error instead.
 */
function ensureDir(path: string): void {
  const missing: string[] = [];
  for (let dir = resolve(path); !existsSync(dir); dir = dirname(dir)) {
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing) mkdirSync(dir, dir === missing[missing.length - 1] ? DATA_DIR_MODE : undefined);
}

/** Removes the permission bits of `path` beyond `mode` (no-op when missing or on Windows). */
function restrict(path: string, mode: number, log: Logger | undefined): void {
  if (process.platform === 'win32' || !existsSync(path)) return;
  const current = statSync(path).mode & 0o777;
  if ((current & ~mode) === 0) return;
  const tightened = current & mode;
  const modes = { path, from: current.toString(8), to: tightened.toString(8) };
  try {
    chmodSync(path, tightened);
    log?.warn(modes, 'permissions of a data file were too wide: tightened');
  } catch (error) {
    // Not ours (e.g. a shared directory): serve anyway, but say it.
    log?.warn({ ...modes, err: error }, 'permissions of a data file are too wide and could not be tightened');
  }
}
