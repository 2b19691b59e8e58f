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
];
