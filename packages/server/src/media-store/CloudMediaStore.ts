import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { Database } from '../storage/Database.js';

/** Folder of the stored files inside the data directory. */
export const CLOUD_MEDIA_DIR = 'cloud-media';

/** A stored file's record. */
export interface StoredMedia {
  id: string;
  apiKey: string;
  conversation: string;
  from: string;
  name: string;
  mimeType: string;
  size: number;
  /** Upload time, ms since epoch. */
  time: number;
  metadata?: Record<string, unknown>;
}

interface Row {
  id: string;
  api_key: string;
  conversation: string;
  sender: string;
  name: string;
  mime_type: string;
  size: number;
  metadata: string | null;
  created_at: number;
}

/**
 * Files uploaded to conversations (`pushData`): bytes in `<dataDir>/cloud-media/<id>`, records in
 * SQLite (`cloud_media`). An upload is written to `tmp/` first and renamed into place only when
 * complete, so the folder never holds a partial file under an id; `tmp/` is emptied at start
 * (leftovers of a crash). Records and files past the retention are deleted by {@link prune}.
 */
export class CloudMediaStore {
  readonly dir: string;
  readonly #tmp: string;
  readonly #retentionMs: number;
  readonly #now: () => number;
  readonly #insert: Statement<[string, string, string, string, string, string, number, string | null, number]>;
  readonly #get: Statement<[string]>;
  readonly #list: Statement<[string, string, number]>;
  readonly #expired: Statement<[number]>;
  readonly #delete: Statement<[string]>;

  constructor(db: Database, dataDir: string, retentionMs: number, now: () => number = Date.now) {
    this.dir = join(dataDir, CLOUD_MEDIA_DIR);
    this.#tmp = join(this.dir, 'tmp');
    this.#retentionMs = retentionMs;
    this.#now = now;
    rmSync(this.#tmp, { recursive: true, force: true });
    mkdirSync(this.#tmp, { recursive: true, mode: 0o700 });
    const h = db.handle;
    this.#insert = h.prepare(
      'INSERT INTO cloud_media (id, api_key, conversation, sender, name, mime_type, size, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#get = h.prepare('SELECT * FROM cloud_media WHERE id = ?');
    this.#list = h.prepare('SELECT * FROM cloud_media WHERE api_key = ? AND conversation = ? AND created_at >= ? ORDER BY created_at, id');
    this.#expired = h.prepare('SELECT id FROM cloud_media WHERE created_at < ?');
    this.#delete = h.prepare('DELETE FROM cloud_media WHERE id = ?');
  }

  /** A fresh random media id (URL-safe). */
  static newId(): string {
    return randomBytes(18).toString('base64url');
  }

  /** Where an upload in progress is written: a fresh name in `tmp/`. */
  tempPath(): string {
    return join(this.#tmp, randomBytes(12).toString('hex'));
  }

  /** Where the bytes of media `id` live once complete. */
  filePath(id: string): string {
    return join(this.dir, id);
  }

  /** Records a complete upload (its file already renamed to {@link filePath}). */
  insert(media: StoredMedia): void {
    this.#insert.run(
      media.id,
      media.apiKey,
      media.conversation,
      media.from,
      media.name,
      media.mimeType,
      media.size,
      media.metadata !== undefined ? JSON.stringify(media.metadata) : null,
      media.time,
    );
  }

  /** Media `id` if stored and within the retention. */
  get(id: string): StoredMedia | undefined {
    const row = this.#get.get(id) as Row | undefined;
    return row && row.created_at >= this.#now() - this.#retentionMs ? toMedia(row) : undefined;
  }

  /** Media of a conversation within the retention, oldest first. */
  list(apiKey: string, conversation: string): StoredMedia[] {
    return (this.#list.all(apiKey, conversation, this.#now() - this.#retentionMs) as Row[]).map(toMedia);
  }

  /** Deletes records and files past the retention. @returns how many */
  prune(): number {
    const ids = (this.#expired.all(this.#now() - this.#retentionMs) as { id: string }[]).map((r) => r.id);
    for (const id of ids) {
      rmSync(this.filePath(id), { force: true });
      this.#delete.run(id);
    }
    return ids.length;
  }

  /** Names in `tmp/` (uploads in progress): for tests and diagnostics. */
  pendingUploads(): string[] {
    return readdirSync(this.#tmp);
  }
}

function toMedia(row: Row): StoredMedia {
  const media: StoredMedia = {
    id: row.id,
    apiKey: row.api_key,
    conversation: row.conversation,
    from: row.sender,
    name: row.name,
    mimeType: row.mime_type,
    size: row.size,
    time: row.created_at,
  };
  if (row.metadata !== null) media.metadata = JSON.parse(row.metadata) as Record<string, unknown>;
  return media;
}
