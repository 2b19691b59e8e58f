import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DatabaseError } from './DatabaseError.js';
import { type Migration, migrations as defaultMigrations } from './migrations.js';

export { DatabaseError };

/** File name of the database inside the data directory. */
export const DATABASE_FILE = 'parley.sqlite';

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
   * Opens (creating it and `dataDir` when missing) and migrates the database.
   * @throws DatabaseError when the file cannot be opened or was written by a newer Parley.
   */
  static open(dataDir: string, migrations: readonly Migration[] = defaultMigrations): Database {
    const path = join(dataDir, DATABASE_FILE);
    let db: BetterSqlite3.Database;
    try {
      ensureDir(dataDir);
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
      throw new DatabaseError(
        'DB_TOO_NEW',
        `Database ${this.path} has schema version ${current}, newer than this server (${latest}); upgrade Parley`,
      );
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
  for (const dir of missing) mkdirSync(dir);
}
