import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import { DATABASE_FILE, Database } from './Database.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'parley-db-'));
  roots.push(root);
  return root;
}

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

describe.skipIf(process.platform === 'win32')('Database file modes', () => {
  it('creates the data directory 0700 and the database with its -wal/-shm 0600', () => {
    const dataDir = join(tempRoot(), 'nested', 'data');
    const db = Database.open(dataDir);
    db.handle.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    const file = join(dataDir, DATABASE_FILE);
    expect(modeOf(dataDir)).toBe(0o700);
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      expect(existsSync(path), path).toBe(true);
      expect(modeOf(path), path).toBe(0o600);
    }
    db.close();
  });

  it('tightens an existing directory and files opened by others, with a log line each', () => {
    const dataDir = tempRoot();
    const file = join(dataDir, DATABASE_FILE);
    Database.open(dataDir).close();
    chmodSync(dataDir, 0o755);
    chmodSync(file, 0o644);
    const lines: { path: string; msg: string }[] = [];
    const log = { warn: (fields: { path: string }, msg: string) => lines.push({ path: fields.path, msg }) } as unknown as Logger;
    const db = Database.open(dataDir, undefined, { log });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(lines.map((l) => l.path).sort()).toEqual([dataDir, file].sort());
    expect(lines[0]?.msg).toMatch(/tightened/);
    db.close();
    // Nothing more to say the next time.
    lines.length = 0;
    Database.open(dataDir, undefined, { log }).close();
    expect(lines).toEqual([]);
  });
});
