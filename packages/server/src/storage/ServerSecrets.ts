import { randomBytes } from 'node:crypto';
import type { Database } from './Database.js';

/**
 * Named random secrets kept in the database (`server_secrets`), so that what they sign, such as
 * download URLs already handed out, stays valid across restarts. Each is made on first use; when
 * two processes race on the same database the first insert wins and both read it back.
 */
export class ServerSecrets {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The 32-byte secret called `name`, created on first use. */
  get(name: string): Buffer {
    const h = this.#db.handle;
    const read = (): string | undefined => h.prepare<[string], { value: string }>('SELECT value FROM server_secrets WHERE name = ?').get(name)?.value;
    const stored = read();
    if (stored !== undefined) return Buffer.from(stored, 'base64');
    h.prepare('INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?, ?)').run(name, randomBytes(32).toString('base64'));
    return Buffer.from(read() ?? '', 'base64');
  }
}
