import type { Statement } from 'better-sqlite3';
import type { Database } from '../storage/Database.js';
import { ServerSecrets } from '../storage/ServerSecrets.js';

/** Life of a recording: captured, then composed into its MP4 (or failed). */
export type RecordingState = 'recording' | 'composing' | 'available' | 'failed';

/** Options a recording was started with (stored as JSON). */
export interface RecordingOptions {
  audioOnly: boolean;
  videoOnly: boolean;
  mode: string;
  labelEnabled: boolean;
  labels?: string[];
}

/** One row of `recordings`. */
export interface RecordingRow {
  mediaId: string;
  apiKey: string;
  conversation: string;
  convId: string;
  fileName: string;
  options: RecordingOptions;
  state: RecordingState;
  startedAt: number;
  stoppedAt: number | null;
  durationMs: number | null;
  sizeBytes: number | null;
  error: string | null;
}

/** One captured file of a recording. */
export interface SegmentRow {
  seq: number;
  kind: 'audio' | 'video';
  /** File name inside the recording's folder. */
  file: string;
  /** Wall-clock time of its first packet (ms since epoch); null until one arrived. */
  startedAt: number | null;
}

interface DbRow {
  media_id: string;
  api_key: string;
  conversation: string;
  conv_id: string;
  file_name: string;
  options: string;
  state: RecordingState;
  started_at: number;
  stopped_at: number | null;
  duration_ms: number | null;
  size_bytes: number | null;
  error: string | null;
}

/** Recording metadata in SQLite (migration 4). The files are the caller's. */
export class RecordingStore {
  readonly #db: Database;
  readonly #insert: Statement<[string, string, string, string, string, string, number]>;
  readonly #get: Statement<[string], DbRow>;
  readonly #list: Statement<[], DbRow>;
  readonly #setState: Statement<[RecordingState, string | null, string]>;

  constructor(db: Database) {
    this.#db = db;
    const h = db.handle;
    this.#insert = h.prepare(
      "INSERT INTO recordings (media_id, api_key, conversation, conv_id, file_name, options, state, started_at) VALUES (?, ?, ?, ?, ?, ?, 'recording', ?)",
    );
    this.#get = h.prepare('SELECT * FROM recordings WHERE media_id = ?');
    this.#list = h.prepare('SELECT * FROM recordings ORDER BY started_at');
    this.#setState = h.prepare('UPDATE recordings SET state = ?, error = ? WHERE media_id = ?');
  }

  /** The secret that signs download URLs, created on first use. */
  urlSecret(): Buffer {
    return new ServerSecrets(this.#db).get('recording-url');
  }

  create(row: Pick<RecordingRow, 'mediaId' | 'apiKey' | 'conversation' | 'convId' | 'fileName' | 'options' | 'startedAt'>): void {
    this.#insert.run(row.mediaId, row.apiKey, row.conversation, row.convId, row.fileName, JSON.stringify(row.options), row.startedAt);
  }

  get(mediaId: string): RecordingRow | undefined {
    const row = this.#get.get(mediaId);
    return row ? fromDb(row) : undefined;
  }

  list(): RecordingRow[] {
    return this.#list.all().map(fromDb);
  }

  setState(mediaId: string, state: RecordingState, error: string | null = null): void {
    this.#setState.run(state, error, mediaId);
  }

  stopped(mediaId: string, stoppedAt: number): void {
    this.#db.handle.prepare('UPDATE recordings SET stopped_at = COALESCE(stopped_at, ?) WHERE media_id = ?').run(stoppedAt, mediaId);
  }

  finished(mediaId: string, durationMs: number, sizeBytes: number): void {
    this.#db.handle
      .prepare("UPDATE recordings SET state = 'available', error = NULL, duration_ms = ?, size_bytes = ? WHERE media_id = ?")
      .run(durationMs, sizeBytes, mediaId);
  }

  addSegment(mediaId: string, kind: 'audio' | 'video', file: string): number {
    const h = this.#db.handle;
    return h.transaction(() => {
      const next = h.prepare<[string], { n: number | null }>('SELECT MAX(seq) AS n FROM recording_segments WHERE media_id = ?').get(mediaId)?.n ?? 0;
      h.prepare('INSERT INTO recording_segments (media_id, seq, kind, file) VALUES (?, ?, ?, ?)').run(mediaId, next + 1, kind, file);
      return next + 1;
    })();
  }

  segmentStarted(mediaId: string, seq: number, startedAt: number): void {
    this.#db.handle.prepare('UPDATE recording_segments SET started_at = ? WHERE media_id = ? AND seq = ?').run(startedAt, mediaId, seq);
  }

  segments(mediaId: string): SegmentRow[] {
    return this.#db.handle
      .prepare<[string], { seq: number; kind: 'audio' | 'video'; file: string; started_at: number | null }>(
        'SELECT seq, kind, file, started_at FROM recording_segments WHERE media_id = ? ORDER BY seq',
      )
      .all(mediaId)
      .map((r) => ({ seq: r.seq, kind: r.kind, file: r.file, startedAt: r.started_at }));
  }

  delete(mediaId: string): boolean {
    const h = this.#db.handle;
    return h.transaction(() => {
      h.prepare('DELETE FROM recording_segments WHERE media_id = ?').run(mediaId);
      return h.prepare('DELETE FROM recordings WHERE media_id = ?').run(mediaId).changes > 0;
    })();
  }
}

function fromDb(r: DbRow): RecordingRow {
  return {
    mediaId: r.media_id,
    apiKey: r.api_key,
    conversation: r.conversation,
    convId: r.conv_id,
    fileName: r.file_name,
    options: JSON.parse(r.options) as RecordingOptions,
    state: r.state,
    startedAt: r.started_at,
    stoppedAt: r.stopped_at,
    durationMs: r.duration_ms,
    sizeBytes: r.size_bytes,
    error: r.error,
  };
}
