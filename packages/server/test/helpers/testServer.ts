import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParleyServer, type ServerOptions, startServer } from '../../src/index.js';

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
