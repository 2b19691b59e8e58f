import type { Statement } from 'better-sqlite3';
import type { Database } from '../storage/Database.js';

/**
 * User ids reserved for identified users, per API key (`reserved_user_ids` table): every id an
 * identified user registered with, plus the ones an operator reserved ahead. Anonymous users can
 * never hold a reserved id, so that nobody receives messages "from alice" sent by someone who
 * merely asked for that id. Reservations are kept until the operator releases them.
 */
export class ReservedUserIds {
  readonly #has: Statement<[string, string], { one: number }>;
  readonly #insert: Statement<[string, string, string]>;
  readonly #delete: Statement<[string, string]>;
  readonly #list: Statement<[string], { user_id: string }>;

  constructor(db: Database) {
    const h = db.handle;
    this.#has = h.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM reserved_user_ids WHERE api_key = ? AND user_id = ?');
    this.#insert = h.prepare<[string, string, string]>('INSERT OR IGNORE INTO reserved_user_ids (api_key, user_id, reserved_at) VALUES (?, ?, ?)');
    this.#delete = h.prepare<[string, string]>('DELETE FROM reserved_user_ids WHERE api_key = ? AND user_id = ?');
    this.#list = h.prepare<[string], { user_id: string }>('SELECT user_id FROM reserved_user_ids WHERE api_key = ? ORDER BY user_id');
  }

  /** Whether `userId` of `apiKey` is reserved for identified users. */
  has(apiKey: string, userId: string): boolean {
    return this.#has.get(apiKey, userId) !== undefined;
  }

  /** Reserves `userId` of `apiKey` (no-op when it already is). */
  reserve(apiKey: string, userId: string): void {
    this.#insert.run(apiKey, userId, new Date().toISOString());
  }

  /** Releases a reservation; returns whether there was one. */
  release(apiKey: string, userId: string): boolean {
    return this.#delete.run(apiKey, userId).changes > 0;
  }

  /** Reserved ids of `apiKey`, sorted. */
  list(apiKey: string): string[] {
    return this.#list.all(apiKey).map((row) => row.user_id);
  }
}
