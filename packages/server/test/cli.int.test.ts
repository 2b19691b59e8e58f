import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParleyServer, startServer } from '../src/index.js';
import { TestClient } from './helpers/TestClient.js';
import { transpileServer } from './helpers/transpileServer.js';

/*
 * The CLI runs as a child process, as an operator would run it. It is transpiled from the
 * TypeScript sources first (see transpileServer) so the test never runs a stale dist/.
 */
const serverRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const buildDir = join(serverRoot, '.test-build');
let cliEntry: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function parley(dataDir: string, args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cliEntry, ...args],
      { env: { ...process.env, PARLEY_DATA_DIR: dataDir, PARLEY_CONFIG: '' }, cwd: dataDir, timeout: 15_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

let dataDir: string;

beforeAll(async () => {
  cliEntry = await transpileServer(serverRoot, buildDir);
  dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
});
afterAll(async () => {
  await rm(buildDir, { recursive: true, force: true });
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('parley CLI', () => {
  let created: { key: string; secret: string };

  it('bin/parley.js runs the compiled CLI', async () => {
    const bin = await readFile(join(serverRoot, 'bin/parley.js'), 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node')).toBe(true);
    expect(bin).toContain("import '../dist/cli/cli.js'");
  });

  it('prints help', async () => {
    const run = await parley(dataDir, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: parley/);
    expect(run.stdout).toMatch(/keys create/);
  });

  it('keys create prints the key and its secret', async () => {
    const run = await parley(dataDir, ['keys', 'create', '--label', 'shop', '--origins', 'https://a.example,https://b.example', '--no-anonymous']);
    expect(run.code).toBe(0);
    const key = /^key:\s+(\S+)$/m.exec(run.stdout)?.[1];
    const secret = /^secret:\s+(\S+)$/m.exec(run.stdout)?.[1];
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(Buffer.from(secret as string, 'base64url')).toHaveLength(32);
    created = { key: key as string, secret: secret as string };
  });

  it('keys list shows keys as a table and as JSON, without secrets', async () => {
    const table = await parley(dataDir, ['keys', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^KEY\s+ENABLED\s+ANONYMOUS\s+CHOSEN-IDS\s+MODERATOR-GRANT\s+ORIGINS\s+LABEL\s+CREATED/);
    expect(table.stdout).toContain(created.key);
    expect(table.stdout).toContain('myDemoApiKey');
    expect(table.stdout).not.toContain(created.secret);
    const json = await parley(dataDir, ['keys', 'list', '--json']);
    const keys = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(keys.find((k) => k.key === created.key)).toEqual({
      key: created.key,
      enabled: true,
      allowedOrigins: ['https://a.example', 'https://b.example'],
      allowAnonymous: false,
      allowChosenIds: false,
      moderatorGrant: false,
      label: 'shop',
      createdAt: expect.any(String),
    });
  });

  it('keys create --chosen-ids lets anonymous users choose ids; keys list shows it (on for the demo key)', async () => {
    const run = await parley(dataDir, ['keys', 'create', '--key', 'chooser', '--chosen-ids']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^chosen ids: allowed/m);
    const keys = JSON.parse((await parley(dataDir, ['keys', 'list', '--json'])).stdout) as { key: string; allowChosenIds: boolean }[];
    expect(keys.find((k) => k.key === 'chooser')?.allowChosenIds).toBe(true);
    expect(keys.find((k) => k.key === 'myDemoApiKey')?.allowChosenIds).toBe(true);
    expect(keys.find((k) => k.key === created.key)?.allowChosenIds).toBe(false);
    const table = (await parley(dataDir, ['keys', 'list'])).stdout.split('\n');
    expect(table.find((line) => line.startsWith('chooser '))).toMatch(/^chooser\s+yes\s+yes\s+yes\s+no\s+any/);
    expect(table.find((line) => line.startsWith(created.key))).toMatch(/\s+yes\s+no\s+no\s+no\s+https:/);
  });

  it('keys create --moderator-grant makes the moderator role need the token grant; token --moderator mints it', async () => {
    const run = await parley(dataDir, ['keys', 'create', '--key', 'granted', '--moderator-grant']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^moderator: needs the token grant parley_moderator/m);
    const keys = JSON.parse((await parley(dataDir, ['keys', 'list', '--json'])).stdout) as { key: string; moderatorGrant: boolean }[];
    expect(keys.find((k) => k.key === 'granted')?.moderatorGrant).toBe(true);
    expect(keys.find((k) => k.key === 'chooser')?.moderatorGrant).toBe(false);
    const token = (await parley(dataDir, ['token', '--key', 'granted', '--user', 'mod', '--moderator'])).stdout.trim();
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { grants: Record<string, unknown> };
    expect(payload.grants).toEqual({ apiRTC_UserAgent_Id: 'mod', parley_moderator: true });
  });

  it('keys disable / enable', async () => {
    expect((await parley(dataDir, ['keys', 'disable', created.key])).code).toBe(0);
    let keys = JSON.parse((await parley(dataDir, ['keys', 'list', '--json'])).stdout) as { key: string; enabled: boolean }[];
    expect(keys.find((k) => k.key === created.key)?.enabled).toBe(false);
    expect((await parley(dataDir, ['keys', 'enable', created.key])).code).toBe(0);
    keys = JSON.parse((await parley(dataDir, ['keys', 'list', '--json'])).stdout) as { key: string; enabled: boolean }[];
    expect(keys.find((k) => k.key === created.key)?.enabled).toBe(true);
  });

  it('token prints an apiRTC-shaped JWT', async () => {
    const run = await parley(dataDir, ['token', '--key', created.key, '--user', 'alice', '--ttl', '120']);
    expect(run.code).toBe(0);
    const jwt = run.stdout.trim();
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({ aud: 'apiRTC', sub: created.key, grants: { apiRTC_UserAgent_Id: 'alice' } });
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
    expect(claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('fails clearly with a non-zero status', async () => {
    const unknownKey = await parley(dataDir, ['keys', 'disable', 'nope']);
    expect(unknownKey.code).toBe(1);
    expect(unknownKey.stderr).toMatch(/unknown apiKey nope/);
    const unknownCommand = await parley(dataDir, ['frobnicate']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command 'frobnicate'/);
    const noUser = await parley(dataDir, ['token', '--key', created.key]);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toMatch(/--user/);
    const badTokenKey = await parley(dataDir, ['token', '--key', 'nope', '--user', 'u']);
    expect(badTokenKey.code).toBe(1);
    const badFlag = await parley(dataDir, ['keys', 'list', '--bogus']);
    expect(badFlag.code).toBe(2);
  });

  describe('against a server on the same data directory', () => {
    let server: ParleyServer;
    beforeAll(async () => {
      server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent' });
    });
    afterAll(() => server.close());

    it('the minted token registers, the key refuses anonymous users and foreign origins', async () => {
      const jwt = (await parley(dataDir, ['token', '--key', created.key, '--user', 'alice'])).stdout.trim();
      const { client, result } = await TestClient.registered(server.url, { apiKey: created.key, userId: 'alice', token: jwt }, { origin: 'https://a.example' });
      expect(result.userId).toBe('alice');
      await client.close();

      const anonymous = await TestClient.connect(server.url, { origin: 'https://a.example' });
      expect(await anonymous.register({ apiKey: created.key })).toMatchObject({ ok: false, error: { code: 5, message: 'token required' } });
      const foreign = await TestClient.connect(server.url, { origin: 'https://c.example' });
      expect(await foreign.register({ apiKey: created.key, userId: 'alice', token: jwt })).toMatchObject({ ok: false, error: { code: 5 } });
    });

    it('ids reserved from the CLI are refused to anonymous users of a chosen-ids key; released ones are free again', async () => {
      expect((await parley(dataDir, ['ids', 'reserve', 'chooser', 'ceo', 'cfo'])).stdout).toMatch(/2 id\(s\) reserved/);
      expect(JSON.parse((await parley(dataDir, ['ids', 'list', 'chooser', '--json'])).stdout)).toEqual(['ceo', 'cfo']);
      const squatter = await TestClient.connect(server.url);
      expect(await squatter.register({ apiKey: 'chooser', userId: 'ceo' })).toMatchObject({
        ok: false,
        error: { code: 5, message: 'id ceo is reserved for an identified user' },
      });
      expect((await parley(dataDir, ['ids', 'release', 'chooser', 'ceo'])).code).toBe(0);
      const { client } = await TestClient.registered(server.url, { apiKey: 'chooser', userId: 'ceo' });
      await client.close();
      expect((await parley(dataDir, ['ids', 'list', 'chooser'])).stdout).toBe('cfo\n');
      expect((await parley(dataDir, ['ids', 'reserve', 'no-such-key', 'x'])).code).toBe(1);
      expect((await parley(dataDir, ['ids', 'reserve', 'chooser'])).code).toBe(2);
    });

    it('a key disabled from the CLI is refused by the running server at once', async () => {
      expect((await parley(dataDir, ['keys', 'disable', created.key])).code).toBe(0);
      const jwt = (await parley(dataDir, ['token', '--key', created.key, '--user', 'bob'])).stdout.trim();
      const client = await TestClient.connect(server.url, { origin: 'https://a.example' });
      expect(await client.register({ apiKey: created.key, userId: 'bob', token: jwt })).toMatchObject({
        ok: false,
        error: { code: 5, message: 'invalid apiKey' },
      });
    });
  });
});
