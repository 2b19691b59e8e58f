import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newUser, paths, useE2E, waitInPage } from '../harness/index.js';
import { serveDir } from './serveDir.js';

/**
 * The SDK as an outside app gets it: `npm pack` of packages/sdk, installed into a fresh folder
 * under apiRTC's package name (`npm i @apirtc/apirtc@file:parley-sdk-<v>.tgz`, offline: the
 * package has no dependencies), type-checked with tsc against the bundled declarations, bundled
 * with esbuild and run in Chromium against the server.
 */
const env = useE2E('sdk-package');
const run = promisify(execFile);
const sdkDir = join(paths.repoRoot, 'packages/sdk');
const tsc = join(paths.repoRoot, 'node_modules/typescript/bin/tsc');

let work = '';
let appDir = '';
let tarball = '';

/** What the app's code does: the usual apiRTC start, written against the package's types. */
const APP_MAIN = `import * as apiRTC from '@apirtc/apirtc';
import { UserAgent, type Conversation, type Session } from '@apirtc/apirtc';

interface Outcome { ok: boolean; version?: string; userId?: string; joined?: boolean; conversation?: string; error?: string }
const report = (outcome: Outcome): void => {
  (window as unknown as { outcome: Outcome }).outcome = outcome;
};
const room = new URLSearchParams(location.search).get('room') ?? 'packed-sdk';
const ua: UserAgent = new UserAgent({ uri: 'apiKey:myDemoApiKey' });
ua.register({ cloudUrl: location.origin })
  .then(async (session: Session) => {
    const conversation: Conversation = session.getOrCreateConversation(room);
    await conversation.join();
    report({ ok: true, version: apiRTC.version, userId: session.getId(), joined: conversation.isJoined(), conversation: conversation.getName() });
  })
  .catch((error: unknown) => report({ ok: false, error: JSON.stringify(error) }));
`;

/** Misuse the declarations must reject (they are real types, not \`any\`). */
const APP_MISUSE = `import { UserAgent } from '@apirtc/apirtc';
const ua = new UserAgent({ uri: 42 });
ua.register({ cloudUrl: 7 });
`;

const tsconfig = (files: string[]): string =>
  JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2022', 'DOM'],
      types: [],
      skipLibCheck: false,
    },
    files,
  });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'parley-sdk-package-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: sdkDir });
  const packed = JSON.parse(stdout) as { filename: string }[];
  tarball = join(work, packed[0]?.filename ?? '');
  appDir = join(work, 'app');
  await mkdir(join(appDir, 'src'), { recursive: true });
  await writeFile(join(appDir, 'package.json'), JSON.stringify({ name: 'outside-app', version: '1.0.0', private: true }));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', `@apirtc/apirtc@file:${tarball}`], { cwd: appDir });
  await writeFile(join(appDir, 'src/main.ts'), APP_MAIN);
  await writeFile(join(appDir, 'src/misuse.ts'), APP_MISUSE);
  await writeFile(join(appDir, 'tsconfig.json'), tsconfig(['src/main.ts']));
  await writeFile(join(appDir, 'tsconfig.misuse.json'), tsconfig(['src/misuse.ts']));
  await writeFile(join(appDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>outside app</title><script type="module" src="./app.js"></script>');
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed SDK package (parley-sdk installed as @apirtc/apirtc)', () => {
  test('the tarball carries the builds, one declaration file and the README, and depends on nothing', async () => {
    const { stdout } = await run('tar', ['tzf', tarball]);
    const files = stdout.trim().split('\n').sort();
    for (const f of [
      'package/package.json',
      'package/README.md',
      'package/dist/parley.js',
      'package/dist/parley.mjs',
      'package/dist/parley.cjs',
      'package/dist/parley.d.ts',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.d.ts'))).toEqual(['package/dist/parley.d.ts']);
    expect(files.some((f) => f.startsWith('package/src/') || f.startsWith('package/tools/'))).toBe(false);
    const installed = join(appDir, 'node_modules/@apirtc/apirtc');
    const pkg = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['name']).toBe('parley-sdk');
    expect(pkg['dependencies']).toBeUndefined();
    expect(await readdir(join(appDir, 'node_modules'))).toEqual(['.package-lock.json', '@apirtc']);
    const dts = await readFile(join(installed, 'dist/parley.d.ts'), 'utf8');
    expect(dts).not.toMatch(/from\s+['"]|@parley\/|\bzod\b|\bz\.Zod/);
  });

  test('require() gives the apiRTC namespace, as module.exports of @apirtc/apirtc does', async () => {
    // A plain Node process, as an app's tools run it (vitest workers add the workspace's conditions).
    const probe =
      "const m = require('@apirtc/apirtc'); console.log(JSON.stringify({ ua: typeof m.UserAgent, conv: typeof m.Conversation, version: m.version, hasDefault: 'default' in m }));";
    const { stdout } = await run(process.execPath, ['-e', probe], { cwd: appDir, env: { ...process.env, NODE_OPTIONS: '' } });
    expect(JSON.parse(stdout)).toEqual({ ua: 'function', conv: 'function', version: expect.stringMatching(/^5\./), hasDefault: false });
  });

  test('tsc accepts the app and rejects misuse, from the bundled declarations alone', async () => {
    await run(process.execPath, [tsc, '-p', join(appDir, 'tsconfig.json')], { cwd: appDir });
    const misuse = await run(process.execPath, [tsc, '-p', join(appDir, 'tsconfig.misuse.json')], { cwd: appDir }).then(
      () => null,
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    expect(misuse).not.toBeNull();
    expect(misuse).toMatch(/misuse\.ts\(2,.*TS2322/);
    expect(misuse).toMatch(/misuse\.ts\(3,.*TS2322/);
  }, 120_000);

  test('an esbuild bundle of the app registers and joins a conversation in Chromium', async () => {
    await build({
      entryPoints: [join(appDir, 'src/main.ts')],
      outfile: join(appDir, 'app.js'),
      bundle: true,
      format: 'esm',
      logLevel: 'error',
      absWorkingDir: appDir,
    });
    const user = await newUser(env.browser, 'outside-app');
    const base = await serveDir(user.context, env.server.url, 'outside-app', appDir);
    const room = `packed-${Date.now()}`;
    await user.page.goto(`${base}index.html?room=${room}`);
    await waitInPage(user, 'the app outcome', () => (window as unknown as { outcome?: unknown }).outcome !== undefined);
    const outcome = await user.page.evaluate(() => (window as unknown as { outcome: Record<string, unknown> }).outcome);
    expect(outcome).toMatchObject({ ok: true, joined: true, conversation: room });
    expect(outcome['version']).toMatch(/^5\./);
    expect(outcome['userId']).toMatch(/\S/);
    expect(user.errors()).toEqual([]);
  });
});
