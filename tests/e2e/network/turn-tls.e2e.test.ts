// TURN over TLS through a real coturn: a subscriber whose UDP is blocked, and whose server hands
// out a `turns:` URL only, decodes video relayed over TLS (coturn's certificate is made for the
// run; the namespace's Chromium ignores certificate errors, as it would trust a real one).
// Root only (network namespaces): fails with the reason otherwise, never skips.
import { randomBytes } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { NetNamespace, assertNetAdmin } from '../../harness/netns/index.mjs';
import { CHROMIUM_ARGS, captureOpenUsers, closeOpenUsers, freePort, launchBrowser, startServer, type RunningServer } from '../harness/index.js';
import { join, subscribe, waitDecoding, waitRemoteStream } from '../conversation/helpers.js';
import { startCoturn, type RunningCoturn } from './coturn.js';
import { hostAddresses } from './network-env.js';
import { connectionsOf, convUserOn } from './turnPages.js';

const NAME = 'network-turn-tls';
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

describe('TURN over TLS for a client whose UDP is blocked', () => {
  beforeAll(async () => {
    assertNetAdmin();
    ns = await NetNamespace.create();
    const secret = randomBytes(24).toString('hex');
    const tlsPort = await freePort();
    coturn = await startCoturn({
      name: NAME,
      address: ns.hostAddress,
      relayAddress: need(hostAddresses()[0], 'a non-loopback IPv4 address of this machine'),
      port: await freePort(),
      tlsPort,
      secret,
      allowedPeers: ['198.51.100.0-198.51.100.255', ...hostAddresses()],
    });
    server = await startServer({
      name: NAME,
      env: {
        HOST: '0.0.0.0',
        PARLEY_TURN_URLS: `turns:${ns.hostAddress}:${tlsPort}?transport=tcp`,
        PARLEY_TURN_SECRET: secret,
      },
    });
    nsOrigin = `http://${ns.hostAddress}:${server.port}`;
    hostBrowser = await launchBrowser();
    nsBrowser = await chromium.launch({
      executablePath: ns.wrapExecutable('/usr/bin/chromium'),
      args: [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=${nsOrigin}`, '--ignore-certificate-errors'],
    });
    await ns.blockUdp();
  });

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

  test("the blocked subscriber decodes the publisher's video relayed over TLS", async () => {
    const a = await convUserOn(need(hostBrowser, 'browser'), need(server, 'server').url, 'alice');
    const b = await convUserOn(need(nsBrowser, 'namespace browser'), nsOrigin, 'bob');
    await join(a.user, 'tls-room');
    await join(b.user, 'tls-room');
    await a.user.page.evaluate(() => CONV.publishCamera());
    await subscribe(b.user, await waitRemoteStream(b.user));
    await waitDecoding(b.user, 'bob (UDP blocked) receives alice over TURN/TLS');

    const bob = await connectionsOf(b.user);
    const selected = bob.map((pc) => pc.local).filter((local) => local !== undefined);
    expect(selected.length).toBeGreaterThan(0);
    for (const pc of bob)
      expect(pc.iceServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]))).toContain(
        `turns:${need(coturn, 'coturn').address}:${need(coturn, 'coturn').tlsPort}?transport=tcp`,
      );
    // The connection that carries alice's video: a relay candidate reached over TLS.
    for (const local of selected) expect(local).toMatchObject({ candidateType: 'relay', relayProtocol: 'tls' });
    expect(await need(ns, 'namespace').ruleset()).toContain('meta l4proto udp drop');
  });
});
