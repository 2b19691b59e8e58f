import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from './Database.js';
import { ServerSecrets } from './ServerSecrets.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('ServerSecrets', () => {
  it('makes each named secret once and gives the same bytes after a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-secrets-'));
    roots.push(dir);
    const db = Database.open(dir);
    const a = new ServerSecrets(db).get('cloud-media-url');
    const b = new ServerSecrets(db).get('recording-url');
    expect(a).toHaveLength(32);
    expect(b).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
    expect(new ServerSecrets(db).get('cloud-media-url').equals(a)).toBe(true);
    db.close();
    const reopened = Database.open(dir);
    expect(new ServerSecrets(reopened).get('cloud-media-url').equals(a)).toBe(true);
    reopened.close();
  });
});
