/**
 * The file-descriptor side of the media capacity: a server process started under a low
 * RLIMIT_NOFILE (`prlimit`, Linux) refuses subscriber connections with "not enough bandwidth"
 * while `media.fdReserve` descriptors are still free, instead of letting libdatachannel fail to
 * gather (a C++ abort on the subscriber path, as at 9bf4270). The server runs as a child process
 * (transpiled from the sources, see transpileServer) so that its limit is not the test runner's.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinConversation, publish } from './helpers/conversation.js';
import { TestClient } from './helpers/TestClient.js';
import { transpileServer } from './helpers/transpileServer.js';

const CAMERA = readFileSync(new URL('../src/media/sdp/fixtures/chromium-offer-camera.sdp', import.meta.url), 'utf8');
const serverRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const buildDir = join(serverRoot, '.test-build-media-fd');
const NOFILE = 100;

function hasPrlimit(): boolean {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return process.platform === 'linux';
  } catch {
    return false;
  }
}

let child: ChildProcess | undefined;
let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
let output = '';
let url = '';
let dataDir = '';
const clients: TestClient[] = [];

describe.runIf(hasPrlimit())(`a server limited to ${NOFILE} file descriptors`, () => {
  beforeAll(async () => {
    const cli = await transpileServer(serverRoot, buildDir);
    dataDir = await mkdtemp(join(tmpdir(), 'parley-fd-'));
    // The in-process SFU: this is about one process's descriptor budget (media workers each
    // have their own, and the signalling sockets stay in the main process).
    const env = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      PARLEY_DATA_DIR: dataDir,
      PARLEY_CONFIG: '',
      LOG_LEVEL: 'info',
      PARLEY_MEDIA_FD_RESERVE: '20',
      PARLEY_MEDIA_WORKERS: '0',
    };
    const proc = spawn('prlimit', [`--nofile=${NOFILE}:${NOFILE}`, process.execPath, cli, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.on('exit', (code, signal) => (exited = { code, signal }));
    url = await new Promise<string>((done, fail) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const m = /listening on (http:\/\/[0-9.]+:\d+)/.exec(output);
        if (m) done(m[1]!);
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', onData);
      proc.on('exit', () => fail(new Error(`server exited: ${output}`)));
    });
  }, 60_000);

  afterAll(async () => {
    for (const c of clients.splice(0)) await c.close().catch(() => undefined);
    child?.kill('SIGTERM');
    await rm(buildDir, { recursive: true, force: true });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses subscribers with "not enough bandwidth" before the descriptors run out, and stays up', async () => {
    const register = async (userId: string): Promise<TestClient> => {
      const { client } = await TestClient.registered(url, { userId });
      clients.push(client);
      await joinConversation(client, 'fd');
      return client;
    };
    const alice = await register('fd-alice');
    expect((await publish(alice, 'fd', 100, 'c8f257c5-83dd-4e1d-a5ee-687f1a0e16e7')).ok).toBe(true); // the msid of CAMERA
    expect((await alice.request({ type: 'media.publisherOffer', conversation: 'fd', sdp: CAMERA })).ok).toBe(true);

    let accepted = 0;
    let refusal: { code: number; message: string } | undefined;
    // Each subscriber costs the server two descriptors (its WebSocket, its UDP socket): the
    // limit is reached well before 60.
    for (let i = 0; i < 60 && refusal === undefined; i++) {
      const sub = await register(`fd-sub-${i}`);
      const answer = await sub.request({ type: 'conv.subscribe', conversation: 'fd', streamId: 100 });
      if (answer.ok) accepted++;
      else refusal = answer.error;
    }
    expect(refusal).toMatchObject({ code: 0, message: expect.stringMatching(/^not enough bandwidth: .*file-descriptor limit/) });
    expect(accepted).toBeGreaterThan(5);
    // The accepted subscribers got their offers; the process is alive and still serves.
    expect((await clients[1]!.nextEvent('media.subscriberOffer')).streams).toHaveLength(1);
    const stats = (await (await fetch(`${url}/api/v1/stats`)).json()) as { sfu: { connections: number; connectionsRefused: number } };
    expect(stats.sfu).toMatchObject({ connections: accepted + 1, connectionsRefused: 1 });
    expect(exited).toBeUndefined();
  }, 120_000);
});
