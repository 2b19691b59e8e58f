import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paths, pollUntil } from '../harness/index.js';

/** A coturn (Debian's `turnserver`) started by a test with its own temporary configuration. */
export interface RunningCoturn {
  readonly address: string;
  readonly port: number;
  readonly secret: string;
  readonly realm: string;
  /** TURN over TLS port, when started with one. */
  readonly tlsPort?: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface CoturnOptions {
  /** Where it listens (TCP and UDP) and relays from: a host address a namespace reaches. */
  address: string;
  port: number;
  secret: string;
  /**
   * Local address its relayed sockets use. Not `address`: the SFU runs on the same machine, and
   * its socket (bound to every interface) answers a relay on a local address from that same
   * address, whatever candidate was asked: a different relay address keeps ICE's source check.
   */
  relayAddress: string;
  /** Peers it may relay to (coturn refuses private and loopback peers unless allowed). */
  allowedPeers: readonly string[];
  name: string;
  /** Also TURN over TLS on this TCP port, with a self-signed certificate made for the run. */
  tlsPort?: number;
}

/** A self-signed certificate and its key for `address` (openssl), as PEM files in `dir`. */
function selfSignedCertificate(dir: string, address: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${address}`,
      '-addext',
      `subjectAltName=IP:${address}`,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/**
 * Starts coturn with `use-auth-secret` (the REST scheme the Parley server issues credentials
 * for), TCP and UDP listeners on `address:port`, TLS on `tlsPort` when given (else none), no
 * DTLS, no CLI and a private SQLite file; waits until its TCP port accepts.
 */
export async function startCoturn(options: CoturnOptions): Promise<RunningCoturn> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-coturn-'));
  const realm = 'parley.test';
  const conf = [
    `listening-ip=${options.address}`,
    `relay-ip=${options.relayAddress}`,
    `listening-port=${options.port}`,
    'fingerprint',
    'use-auth-secret',
    `static-auth-secret=${options.secret}`,
    `realm=${realm}`,
    ...(options.tlsPort === undefined
      ? ['no-tls']
      : (() => {
          const { cert, key } = selfSignedCertificate(dir, options.address);
          return [`tls-listening-port=${options.tlsPort}`, `cert=${cert}`, `pkey=${key}`];
        })()),
    'no-dtls',
    'no-cli',
    'no-multicast-peers',
    ...options.allowedPeers.map((peer) => `allowed-peer-ip=${peer}`),
    `userdb=${join(dir, 'turndb')}`,
    `pidfile=${join(dir, 'turnserver.pid')}`,
    'log-file=stdout',
    'simple-log',
    'verbose',
  ].join('\n');
  const confFile = join(dir, 'turnserver.conf');
  writeFileSync(confFile, conf + '\n');
  mkdirSync(paths.artifacts, { recursive: true });
  const logFile = join(paths.artifacts, `${options.name}.coturn.log`);
  const log = createWriteStream(logFile);
  const child = spawn('turnserver', ['-c', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async (): Promise<void> => {
    if (!exited) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exit;
    clearTimeout(timer);
    log.end();
    await rm(dir, { recursive: true, force: true });
  };
  process.once('exit', () => {
    if (!exited) child.kill('SIGKILL');
  });
  try {
    await pollUntil(
      async () => {
        if (exited) throw new Error(`turnserver exited at start; see ${logFile}`);
        return new Promise<boolean>((resolve) => {
          const socket = connect(options.port, options.address, () => {
            socket.destroy();
            resolve(true);
          });
          socket.once('error', () => resolve(false));
        });
      },
      { timeoutMs: 10_000, intervalMs: 100, what: `coturn listening on ${options.address}:${options.port}` },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    address: options.address,
    port: options.port,
    ...(options.tlsPort === undefined ? {} : { tlsPort: options.tlsPort }),
    secret: options.secret,
    realm,
    logFile,
    stop,
  };
}
