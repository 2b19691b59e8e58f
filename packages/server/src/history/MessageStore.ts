import type { HistoryMessage, HistoryResult } from '@parley/protocol';
import type { Statement } from 'better-sqlite3';
import type { Database } from '../storage/Database.js';

/** A message as the store records it. */
export interface StoredMessageInit {
  from: string;
  /** 1-1 threads: the recipient. */
  to?: string;
  content: string;
  /** Server time of reception, ms since epoch. */
  time: number;
  displayName?: string;
  metadata?: Record<string, unknown>;
}

/** Which page of a thread to read: `count` messages older than `before` (an id) and `beforeTime` (ms). */
export interface PageQuery {
  count: number;
  before?: number;
  beforeTime?: number;
}

/** Bounds of {@link MessageStore}. */
export interface MessageStoreLimits {
  /** Newest messages kept per thread. */
  maxMessagesPerThread: number;
  /** Age past which a message is neither served nor kept, ms. */
  retentionMs: number;
}

interface Row {
  id: number;
  sender: string;
  recipient: string | null;
  display_name: string | null;
  content: string;
  metadata: string | null;
  sent_at: number;
}

/**
 * Chat messages in SQLite (`chat_messages`), by tenant and thread: a conversation's thread is its
 * name, a 1-1 thread the unordered pair of its users, so both parties read the same one. Each
 * thread keeps its newest `maxMessagesPerThread` messages (trimmed on append); messages older than
 * the retention are filtered out on read and deleted by {@link prune}. A message's id is the
 * table's AUTOINCREMENT key: increasing in the order messages were accepted and never reused, so it
 * serves both as the uuid receivers get and as the pagination cursor.
 */
export class MessageStore {
  readonly #limits: MessageStoreLimits;
  readonly #insert: Statement<[string, string, string, string | null, string | null, string, string | null, number]>;
  readonly #trim: Statement<[string, string, string, string, number]>;
  readonly #page: Statement<[string, string, number, number, number, number]>;
  readonly #prune: Statement<[number]>;
  readonly #now: () => number;

  constructor(db: Database, limits: MessageStoreLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
    const h = db.handle;
    this.#insert = h.prepare(
      `INSERT INTO chat_messages (api_key, thread, sender, recipient, display_name, content, metadata, sent_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Deletes what lies below the thread's newest N (the index on (api_key, thread, id) serves both parts).
    this.#trim = h.prepare(
      `DELETE FROM chat_messages WHERE api_key = ? AND thread = ? AND id <= (
         SELECT id FROM chat_messages WHERE api_key = ? AND thread = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    );
    this.#page = h.prepare(
      `SELECT id, sender, recipient, display_name, content, metadata, sent_at FROM chat_messages
       WHERE api_key = ? AND thread = ? AND id < ? AND sent_at < ? AND sent_at >= ?
       ORDER BY id DESC LIMIT ?`,
    );
    this.#prune = h.prepare('DELETE FROM chat_messages WHERE sent_at < ?');
  }

  /** Thread key of conversation `name`. */
  static conversationThread(name: string): string {
    return `c:${name}`;
  }

  /** Thread key of the 1-1 messages between `a` and `b` (either order). */
  static contactThread(a: string, b: string): string {
    // JSON keeps any two ids apart, whatever characters they hold.
    return `u:${JSON.stringify(a < b ? [a, b] : [b, a])}`;
  }

  /**
   * Records a message in `thread` of `apiKey` and trims the thread to its bound.
   * @returns the message id
   */
  append(apiKey: string, thread: string, message: StoredMessageInit): number {
    const metadata = message.metadata !== undefined ? JSON.stringify(message.metadata) : null;
    const result = this.#insert.run(apiKey, thread, message.from, message.to ?? null, message.displayName ?? null, message.content, metadata, message.time);
    this.#trim.run(apiKey, thread, apiKey, thread, this.#limits.maxMessagesPerThread);
    return Number(result.lastInsertRowid);
  }

  /**
   * The page of `thread` that `query` names: its `count` newest messages older than both cursors,
   * returned oldest first, and whether older ones remain.
   */
  page(apiKey: string, thread: string, query: PageQuery): HistoryResult {
    const oldest = this.#now() - this.#limits.retentionMs;
    const rows = this.#page.all(
      apiKey,
      thread,
      query.before ?? Number.MAX_SAFE_INTEGER,
      query.beforeTime ?? Number.MAX_SAFE_INTEGER,
      oldest,
      query.count + 1,
    ) as Row[];
    const more = rows.length > query.count;
    if (more) rows.pop();
    return { messages: rows.reverse().map(toMessage), more };
  }

  /** Deletes every message past the retention. @returns how many */
  prune(): number {
    return this.#prune.run(this.#now() - this.#limits.retentionMs).changes;
  }
}

function toMessage(row: Row): HistoryMessage {
  const message: HistoryMessage = { uuid: row.id, from: row.sender, content: row.content, time: row.sent_at };
  if (row.recipient !== null) message.to = row.recipient;
  if (row.display_name !== null) message.displayName = row.display_name;
  if (row.metadata !== null) message.metadata = JSON.parse(row.metadata) as Record<string, unknown>;
  return message;
}
