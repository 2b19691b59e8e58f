import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../storage/Database.js';
import { migrations } from '../storage/migrations.js';
import { ApiKeyError } from './ApiKeyError.js';
import { ApiKeyStore, DEMO_API_KEY } from './ApiKeyStore.js';

const open: Database[] = [];
function store(dir = mkdtempSync(join(tmpdir(), 'parley-keys-'))): { keys: ApiKeyStore; dir: string } {
  const db = Database.open(dir);
  open.push(db);
  return { keys: new ApiKeyStore(db), dir };
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('ApiKeyStore', () => {
  it('creates keys with a random 32-byte base64url secret', () => {
    const { keys } = store();
    const key = keys.create({ label: 'shop', allowedOrigins: ['https://shop.example'], allowAnonymous: false });
    expect(key.key).toMatch(/^[0-9a-f]{32}$/);
    expect(Buffer.from(key.secret, 'base64url')).toHaveLength(32);
    expect(keys.get(key.key)).toEqual(key);
    expect(key).toMatchObject({ enabled: true, label: 'shop', allowedOrigins: ['https://shop.example'], allowAnonymous: false });
    expect(keys.create().secret).not.toBe(key.secret);
  });

  it('lists, disables and enables keys', () => {
    const { keys } = store();
    const a = keys.create({ key: 'alpha' });
    keys.create({ key: 'beta' });
    expect(keys.list().map((k) => k.key)).toEqual([a.key, 'beta']);
    keys.disable('alpha');
    expect(keys.get('alpha')?.enabled).toBe(false);
    keys.enable('alpha');
    expect(keys.get('alpha')?.enabled).toBe(true);
  });

  it('reports unknown, duplicate and malformed keys', () => {
    const { keys } = store();
    keys.create({ key: 'alpha' });
    expect(() => keys.disable('nope')).toThrow(ApiKeyError);
    expect(() => keys.create({ key: 'alpha' })).toThrow(/already exists/);
    expect(() => keys.create({ key: 'has space' })).toThrow(/invalid apiKey/);
    expect(keys.get('nope')).toBeUndefined();
  });

  it('creates the demo key once, keeps its secret, and follows the on/off switch', () => {
    const { keys, dir } = store();
    const first = keys.ensureDemoKey(true);
    expect(first).toMatchObject({ key: DEMO_API_KEY, enabled: true, allowAnonymous: true });
    expect(keys.ensureDemoKey(false).enabled).toBe(false);
    expect(keys.get(DEMO_API_KEY)?.enabled).toBe(false);
    // Reopened (server restart): same secret.
    const again = store(dir).keys.ensureDemoKey(true);
    expect(again.secret).toBe(first.secret);
    expect(again.enabled).toBe(true);
  });

  it('chosen ids are off for new keys unless asked, on for the demo key', () => {
    const { keys } = store();
    expect(keys.create({ key: 'plain' }).allowChosenIds).toBe(false);
    expect(keys.create({ key: 'chooser', allowChosenIds: true }).allowChosenIds).toBe(true);
    expect(keys.get('chooser')?.allowChosenIds).toBe(true);
    expect(keys.ensureDemoKey(true).allowChosenIds).toBe(true);
  });

  it('an existing data directory upgrades: the demo key keeps chosen ids, other keys lose them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-keys-'));
    const old = Database.open(
      dir,
      migrations.filter((m) => m.version === 1),
    );
    const insert = old.handle.prepare("INSERT INTO api_keys (key, secret, created_at) VALUES (?, 's', '2026-01-01T00:00:00Z')");
    insert.run(DEMO_API_KEY);
    insert.run('legacy');
    old.close();
    const { keys } = store(dir);
    expect(keys.get(DEMO_API_KEY)?.allowChosenIds).toBe(true);
    expect(keys.get('legacy')?.allowChosenIds).toBe(false);
  });

  it('records migrations', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-keys-'));
    const db = Database.open(dir);
    open.push(db);
    expect(db.schemaVersion).toBe(Math.max(...migrations.map((m) => m.version)));
    expect(db.path).toBe(join(dir, 'parley.sqlite'));
  });
});
