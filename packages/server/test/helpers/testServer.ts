import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type ParleyServer, type ServerOptions, startServer } from '../../src/index.js';
import { type RegisterOptions, TestClient } from './TestClient.js';

/** A server on an ephemeral port with its own data directory; `stop()` removes both. */
export interface TestServer extends ParleyServer {
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** Starts an in-process server for a test file (`limits` are merged over test defaults). */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-int-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', ...options });
  return Object.assign(server, {
    dataDir,
    async stop(): Promise<void> {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
}

/** What {@link useTestServer} gives a test file. */
export interface TestServerEnv {
  /** The file's server (available from the first test on). */
  readonly server: TestServer;
  /** Registers `userId` (extra register fields optional); the client is closed after the test. */
  user(userId: string, options?: RegisterOptions): Promise<TestClient>;
  /** Checks and closes a client made another way after the test, like the ones from `user()`. */
  track(client: TestClient): TestClient;
}

/**
 * The usual life cycle of an integration test file: one server for the file, clients registered
 * through `user()` checked for protocol violations and closed after each test.
 */
export function useTestServer(options: ServerOptions = {}): TestServerEnv {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    server = await startTestServer(options);
  });
  afterAll(() => server?.stop());
  afterEach(async () => {
    for (const client of clients.splice(0)) {
      expect(client.violations).toEqual([]);
      await client.close();
    }
  });
  return {
    get server(): TestServer {
      if (!server) throw new Error('the test server starts in beforeAll');
      return server;
    },
    async user(userId, registerOptions = {}) {
      const { client } = await TestClient.registered(this.server.url, { userId, ...registerOptions });
      return this.track(client);
    },
    track(client) {
      clients.push(client);
      return client;
    },
  };
}
