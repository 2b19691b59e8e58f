import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, joinConversation } from './helpers/conversation.js';
import { TestClient } from './helpers/TestClient.js';
import { transpileServer } from './helpers/transpileServer.js';

/*
 * Issue 16, part 3: SIGTERM with `shutdown.drainSeconds` lets the conversations under way end
 * while new ones are refused (code 3), then stops; without it SIGTERM stops at once as before.
 * The server runs as a child process (transpiled from the sources) so the real signal path of
 * serve.ts is exercised.
 */
const serverRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const buildDir = join(serverRoot, '.test-build-drain');
let work: string;

beforeAll(async () => {
  await transpileServer(serverRoot, buildDir);
  work = await mkdtemp(join(tmpdir(), 'parley-drain-'));
  await writeFile(
    join(buildDir, 'drainable.js'),
    `import { resolveConfig } from './config/Config.js';
import { serve } from './serve.js';
await serve(resolveConfig({ port: 0, host: '127.0.0.1', dataDir: process.env.DATA_DIR, logLevel: 'info', shutdown: { drainSeconds: Number(process.env.DRAIN_S) } }));
`,
  );
}, 60_000);
afterAll(async () => {
  await rm(buildDir, { recursive: true, force: true });
  if (work) await rm(work, { recursive: true, force: true });
});

interface Server {
  child: ChildProcessWithoutNullStreams;
  url: string;
  log: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function start(name: string, drainSeconds: number): Promise<Server> {
  const dataDir = join(work, name);
  const child = spawn(process.execPath, [join(buildDir, 'drainable.js')], { env: { ...process.env, DATA_DIR: dataDir, DRAIN_S: String(drainSeconds) } });
  let text = '';
  child.stdout.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const url = await until(
    () => /listening on (http:\/\/[\d.:]+)/.exec(text)?.[1],
    () => text,
  );
  return { child, url, log: () => text, exited };
}

/** Polls `get` until it gives a value (bounded by the test timeout). */
async function until<T>(get: () => T | undefined, context: () => string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = get();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not met; output:\n${context()}`);
}

describe('drain on SIGTERM', () => {
  it('keeps the conversations under way, refuses new ones with code 3, and stops once they ended', async () => {
    const server = await start('drain-empty', 600);
    const { client: alice } = await TestClient.registered(server.url, { userId: 'd-alice' });
    await joinConversation(alice, 'ongoing');
    server.child.kill('SIGTERM');
    await until(() => (server.log().includes('draining: conversations under way go on') ? true : undefined), server.log);

    // Sessions still connect; joining the ongoing conversation works, a new one is refused.
    const { client: bob } = await TestClient.registered(server.url, { userId: 'd-bob' });
    await joinConversation(bob, 'ongoing');
    const refused = await bob.request({ type: 'conv.join', conversation: 'brand-new', meshModeEnabled: false, meshOnlyEnabled: false });
    expect(codeOf(refused)).toBe(3);
    expect(refused.ok ? '' : refused.error.message).toMatch(/draining/);
    // The health check tells a load balancer not to send new users here.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    // Still running: the conversation is under way.
    expect(server.child.exitCode).toBeNull();

    // Everyone leaves: the conversation ends, the server stops by itself.
    expect((await alice.request({ type: 'conv.leave', conversation: 'ongoing' })).ok).toBe(true);
    expect((await bob.request({ type: 'conv.leave', conversation: 'ongoing' })).ok).toBe(true);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.log()).toContain('drained: every conversation ended');
  }, 30_000);

  it('stops at the deadline when a conversation goes on; the session is told it is a shutdown (4005)', async () => {
    const server = await start('drain-deadline', 1);
    const { client: alice } = await TestClient.registered(server.url, { userId: 'd-carol' });
    await joinConversation(alice, 'long-call');
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.log()).toContain('drain deadline reached');
    expect((await alice.closed).code).toBe(4005);
  }, 30_000);

  it('without drainSeconds, SIGTERM stops at once as before', async () => {
    const server = await start('no-drain', 0);
    const { client: alice } = await TestClient.registered(server.url, { userId: 'd-dave' });
    await joinConversation(alice, 'call');
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.log()).not.toContain('draining');
    expect((await alice.closed).code).toBe(4005);
  }, 30_000);
});
