// The demo app (apps/meet) for a user behind a firewall that lets UDP reach only the TURN server:
// both users see and hear each other, the firewalled one through coturn (TURN/UDP relay for its
// publisher and subscriber connections). And for a user whose network blocks every UDP packet:
// the same over TURN/TCP, through the server's ICE check repair port (see turn.e2e.test.ts).
// Root only (network namespaces): fails with the reason otherwise, never skips.
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { NetNamespace, assertNetAdmin } from '../../harness/netns/index.mjs';
import {
  DEFAULT_WAIT_MS,
  captureOpenUsers,
  closeOpenUsers,
  freePort,
  launchBrowser,
  newUser,
  startServer,
  type RunningServer,
  type User,
} from '../harness/index.js';
import { remoteTile, tilePlays } from '../harness/meetTiles.js';
import { startCoturn, type RunningCoturn } from './coturn.js';
import { hostAddresses, launchBrowserIn } from './network-env.js';

const NAME = 'network-meet-turn';
const WAIT = { timeout: DEFAULT_WAIT_MS };
let ns: NetNamespace | undefined;
let coturn: RunningCoturn | undefined;
let server: RunningServer | undefined;
let hostBrowser: Browser | undefined;
let nsBrowser: Browser | undefined;
let nsOrigin = '';

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} not started (beforeAll failed?)`);
  return value;
}

/** Opens the app on `origin`, joins `room` as `name` with the camera on, waits for the call view. */
async function joinCall(browser: Browser, origin: string, name: string, room: string): Promise<User> {
  const user = await newUser(browser, name, { url: `${origin}/?room=${encodeURIComponent(room)}` });
  await user.page.locator('#join-form').waitFor(WAIT);
  await user.page.fill('#name-input', name);
  await user.page.locator('#preview[data-state="live"]').waitFor(WAIT);
  await user.page.click('#join-btn');
  await user.page.locator('#call-view').waitFor({ state: 'visible', ...WAIT });
  return user;
}

describe('the demo app behind a firewall that lets UDP reach only the TURN server', () => {
  beforeAll(async () => {
    assertNetAdmin();
    ns = await NetNamespace.create();
    const secret = randomBytes(24).toString('hex');
    const turnPort = await freePort();
    coturn = await startCoturn({
      name: NAME,
      address: ns.hostAddress,
      relayAddress: need(hostAddresses()[0], 'a non-loopback IPv4 address of this machine'),
      port: turnPort,
      secret,
      allowedPeers: ['198.51.100.0-198.51.100.255', ...hostAddresses()],
    });
    const turnHost = `${ns.hostAddress}:${turnPort}`;
    server = await startServer({
      name: NAME,
      env: { HOST: '0.0.0.0', PARLEY_TURN_URLS: `turn:${turnHost}?transport=udp,turn:${turnHost}?transport=tcp`, PARLEY_TURN_SECRET: secret },
    });
    nsOrigin = `http://${ns.hostAddress}:${server.port}`;
    hostBrowser = await launchBrowser();
    nsBrowser = await launchBrowserIn(ns, nsOrigin);
    await ns.blockUdp(true, { except: [{ address: ns.hostAddress, port: turnPort }] });
  });

  /** Local end of the selected pair of every connection of `user`'s page. */
  function selectedLocals(user: User): Promise<Array<{ candidateType?: string; relayProtocol?: string }>> {
    return user.page.evaluate(async () => {
      const out: Array<{ candidateType?: string; relayProtocol?: string }> = [];
      for (const pc of Parley.debug.peerConnections()) {
        const stats = await pc.getStats();
        stats.forEach((r: { type: string; selectedCandidatePairId?: string }) => {
          if (r.type !== 'transport' || !r.selectedCandidatePairId) return;
          const pair = stats.get(r.selectedCandidatePairId) as { localCandidateId: string } | undefined;
          const local = pair ? (stats.get(pair.localCandidateId) as { candidateType?: string; relayProtocol?: string }) : undefined;
          if (local) out.push({ candidateType: local.candidateType, relayProtocol: local.relayProtocol });
        });
      }
      return out;
    });
  }

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await captureOpenUsers(`${NAME}--${ctx.task.name}`);
    await closeOpenUsers();
  });

  afterAll(async () => {
    await closeOpenUsers({ all: true });
    await nsBrowser?.close().catch(() => undefined);
    await hostBrowser?.close().catch(() => undefined);
    await server?.stop();
    await coturn?.stop();
    await ns?.close();
  });

  test('both users see each other; the firewalled one through coturn', async () => {
    const alice = await joinCall(need(hostBrowser, 'browser'), need(server, 'server').url, 'Alice', 'turn-meet');
    const bob = await joinCall(need(nsBrowser, 'namespace browser'), nsOrigin, 'Bob', 'turn-meet');
    await tilePlays(bob, remoteTile('Alice'));
    await tilePlays(alice, remoteTile('Bob'));
    // Every connection of bob's page runs through a relay candidate (UDP to coturn).
    const locals = await selectedLocals(bob);
    expect(locals.length).toBeGreaterThanOrEqual(2); // publisher and subscriber connections
    for (const local of locals) expect(local).toEqual({ candidateType: 'relay', relayProtocol: 'udp' });
  });

  test('both users see each other when every UDP packet of the firewalled one is dropped (TURN over TCP)', async () => {
    const net = need(ns, 'namespace');
    const turn = need(coturn, 'coturn');
    await net.blockUdp(true);
    try {
      const carol = await joinCall(need(hostBrowser, 'browser'), need(server, 'server').url, 'Carol', 'turn-tcp-meet');
      const dan = await joinCall(need(nsBrowser, 'namespace browser'), nsOrigin, 'Dan', 'turn-tcp-meet');
      await tilePlays(dan, remoteTile('Carol'));
      await tilePlays(carol, remoteTile('Dan'));
      const locals = await selectedLocals(dan);
      expect(locals.length).toBeGreaterThanOrEqual(2); // publisher and subscriber connections
      for (const local of locals) expect(local).toEqual({ candidateType: 'relay', relayProtocol: 'tcp' });
      expect(await net.ruleset()).toContain('meta l4proto udp drop');
    } finally {
      await net.blockUdp(true, { except: [{ address: turn.address, port: turn.port }] });
    }
  });
});
