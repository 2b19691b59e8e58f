/**
 * Schema migrations, applied in order at startup. Never edit a released migration: add a new
 * one with the next number, so existing data directories upgrade in place.
 */
export interface Migration {
  /** Strictly increasing, starting at 1. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'api_keys',
    sql: `
      CREATE TABLE api_keys (
        key              TEXT PRIMARY KEY,
        secret           TEXT NOT NULL,
        enabled          INTEGER NOT NULL DEFAULT 1,
        allowed_origins  TEXT,
        allow_anonymous  INTEGER NOT NULL DEFAULT 1,
        label            TEXT,
        created_at       TEXT NOT NULL
      );
    `,
  },
  {
    // Issue 9: anonymous users may choose their id only on keys that say so (the demo key does,
    // as before); ids identified users registered with are reserved against anonymous use.
    version: 2,
    name: 'chosen_ids_and_reserved_user_ids',
    sql: `
      ALTER TABLE api_keys ADD COLUMN chosen_ids INTEGER NOT NULL DEFAULT 0;
      UPDATE api_keys SET chosen_ids = 1 WHERE key = 'myDemoApiKey';
      CREATE TABLE reserved_user_ids (
        api_key      TEXT NOT NULL,
        user_id      TEXT NOT NULL,
        reserved_at  TEXT NOT NULL,
        PRIMARY KEY (api_key, user_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Issue 11: on keys that say so, the moderator role of moderated conversations needs a
    // token grant instead of going to whoever asks first.
    version: 3,
    name: 'moderator_grant',
    sql: `ALTER TABLE api_keys ADD COLUMN moderator_grant INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    // Issue 11: composite recordings (metadata; the files live under <dataDir>/recordings) and
    // the server secret that signs their download URLs.
    version: 4,
    name: 'recordings',
    sql: `
      CREATE TABLE recordings (
        media_id       TEXT PRIMARY KEY,
        api_key        TEXT NOT NULL,
        conversation   TEXT NOT NULL,
        conv_id        TEXT NOT NULL,
        file_name      TEXT NOT NULL,
        options        TEXT NOT NULL,
        state          TEXT NOT NULL,
        started_at     INTEGER NOT NULL,
        stopped_at     INTEGER,
        duration_ms    INTEGER,
        size_bytes     INTEGER,
        error          TEXT
      );
      CREATE INDEX recordings_by_key ON recordings (api_key, started_at);
      CREATE TABLE recording_segments (
        media_id    TEXT NOT NULL REFERENCES recordings (media_id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        kind        TEXT NOT NULL,
        file        TEXT NOT NULL,
        started_at  INTEGER,
        PRIMARY KEY (media_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE server_secrets (
        name   TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    // Issue 13: chat history. One table for conversation and 1-1 threads (`thread` says which);
    // AUTOINCREMENT so a message id (the uuid receivers get) is never reused after deletions.
    version: 5,
    name: 'chat_messages',
    sql: `
      CREATE TABLE chat_messages (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        api_key       TEXT NOT NULL,
        thread        TEXT NOT NULL,
        sender        TEXT NOT NULL,
        recipient     TEXT,
        display_name  TEXT,
        content       TEXT NOT NULL,
        metadata      TEXT,
        sent_at       INTEGER NOT NULL
      );
      CREATE INDEX chat_messages_thread ON chat_messages (api_key, thread, id);
      CREATE INDEX chat_messages_sent_at ON chat_messages (sent_at);
    `,
  },
  {
    // Issue 13: cloud media (pushData). The bytes live in <dataDir>/cloud-media/<id>.
    version: 6,
    name: 'cloud_media',
    sql: `
      CREATE TABLE cloud_media (
        id            TEXT PRIMARY KEY,
        api_key       TEXT NOT NULL,
        conversation  TEXT NOT NULL,
        sender        TEXT NOT NULL,
        name          TEXT NOT NULL,
        mime_type     TEXT NOT NULL,
        size          INTEGER NOT NULL,
        metadata      TEXT,
        created_at    INTEGER NOT NULL
      );
      CREATE INDEX cloud_media_conversation ON cloud_media (api_key, conversation, created_at);
      CREATE INDEX cloud_media_created_at ON cloud_media (created_at);
    `,
  },
];
