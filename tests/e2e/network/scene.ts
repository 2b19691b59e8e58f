import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { NetNamespace, assertNetAdmin } from '../../harness/netns/index.mjs';
import { captureOpenUsers, closeOpenUsers, freePort, launchBrowser, startServer, type RunningServer } from '../harness/index.js';
import { startCoturn, type RunningCoturn } from './coturn.js';
import { hostAddresses, launchBrowserIn } from './network-env.js';

/** The coturn of a scene, as the server's environment needs it. */
export interface SceneTurn {
  /** Where clients reach it: the namespace's host end. */
  host: string;
  port: number;
  /** TLS port when the scene asked for TLS. */
  tlsPort: number | undefined;
  secret: string;
}

/** What a network scene runs. */
export interface SceneOptions {
  /** Label of the logs (server, coturn, failed pages). */
  name: string;
  /**
   * A coturn on the namespace's host end (with a TLS port too when `tls`); the server hands out
   * `urls` (PARLEY_TURN_URLS) with credentials from the coturn's secret.
   */
  coturn?: { tls?: boolean; urls: (turn: SceneTurn) => string[] };
  /** Server environment besides `HOST=0.0.0.0` (reachable from the namespace) and the TURN settings. */
  serverEnv?: () => Record<string, string> | Promise<Record<string, string>>;
  hostBrowserArgs?: string[] | (() => string[]);
  nsBrowserArgs?: string[];
  /** Last step of the set-up, e.g. the namespace's firewall rules. */
  prepare?: (scene: NetworkScene) => Promise<void>;
  /** Undoes what `prepare` started outside the scene (relays), after the browsers close. */
  cleanup?: () => Promise<void>;
}

/**
 * A network test's world: a fresh namespace (198.51.100.0/24), optionally a coturn on its host end,
 * a Parley server listening on every address, one Chromium on the host and one inside the
 * namespace. Its parts throw when read before the set-up ran (a failed `beforeAll`).
 */
export class NetworkScene {
  #ns: NetNamespace | undefined;
  #coturn: RunningCoturn | undefined;
  #server: RunningServer | undefined;
  #hostBrowser: Browser | undefined;
  #nsBrowser: Browser | undefined;

  get ns(): NetNamespace {
    return need(this.#ns, 'namespace');
  }
  get coturn(): RunningCoturn {
    return need(this.#coturn, 'coturn');
  }
  get server(): RunningServer {
    return need(this.#server, 'server');
  }
  get hostBrowser(): Browser {
    return need(this.#hostBrowser, 'host browser');
  }
  get nsBrowser(): Browser {
    return need(this.#nsBrowser, 'namespace browser');
  }
  /** The server as the namespace reaches it. */
  get nsOrigin(): string {
    return `http://${this.ns.hostAddress}:${this.server.port}`;
  }

  /** @internal Set-up, in this order: namespace, coturn, server, browsers, `prepare`. */
  async start(options: SceneOptions): Promise<void> {
    assertNetAdmin();
    const ns = (this.#ns = await NetNamespace.create());
    const env: Record<string, string> = { HOST: '0.0.0.0' };
    if (options.coturn) {
      const turn: SceneTurn = {
        host: ns.hostAddress,
        port: await freePort(),
        tlsPort: options.coturn.tls ? await freePort() : undefined,
        secret: randomBytes(24).toString('hex'),
      };
      // coturn relays from the namespace's host end to the SFU's host candidates: the machine's
      // own addresses and the test range, which coturn would refuse as peers unless allowed.
      this.#coturn = await startCoturn({
        name: options.name,
        address: ns.hostAddress,
        relayAddress: need(hostAddresses()[0], 'a non-loopback IPv4 address of this machine'),
        port: turn.port,
        ...(turn.tlsPort !== undefined ? { tlsPort: turn.tlsPort } : {}),
        secret: turn.secret,
        allowedPeers: ['198.51.100.0-198.51.100.255', ...hostAddresses()],
      });
      env.PARLEY_TURN_URLS = options.coturn.urls(turn).join(',');
      env.PARLEY_TURN_SECRET = turn.secret;
    }
    this.#server = await startServer({ name: options.name, env: { ...env, ...(await options.serverEnv?.()) } });
    const hostArgs = options.hostBrowserArgs;
    this.#hostBrowser = await launchBrowser(typeof hostArgs === 'function' ? hostArgs() : (hostArgs ?? []));
    this.#nsBrowser = await launchBrowserIn(ns, this.nsOrigin, options.nsBrowserArgs);
    await options.prepare?.(this);
  }

  /** @internal Tear-down, in reverse; safe after a partial set-up. */
  async close(cleanup?: () => Promise<void>): Promise<void> {
    await closeOpenUsers({ all: true });
    await this.#nsBrowser?.close().catch(() => undefined);
    await this.#hostBrowser?.close().catch(() => undefined);
    await cleanup?.();
    await this.#server?.stop();
    await this.#coturn?.stop();
    await this.#ns?.close();
  }
}

/**
 * Registers a {@link NetworkScene}'s life cycle in the calling `describe`: set up once before its
 * tests, the pages of each test closed after it (captured first when it failed), all torn down
 * after the last one.
 */
export function useNetworkScene(options: SceneOptions): NetworkScene {
  const scene = new NetworkScene();
  beforeAll(() => scene.start(options), 90_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await captureOpenUsers(`${options.name}--${ctx.task.name}`);
    await closeOpenUsers();
  });
  afterAll(() => scene.close(options.cleanup));
  return scene;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} not started (beforeAll failed?)`);
  return value;
}
