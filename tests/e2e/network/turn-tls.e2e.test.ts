// TURN over TLS through a real coturn: a subscriber whose UDP is blocked, and whose server hands
// out a `turns:` URL only, decodes video relayed over TLS (coturn's certificate is made for the
// run; the namespace's Chromium ignores certificate errors, as it would trust a real one).
// Root only (network namespaces): fails with the reason otherwise, never skips.
import { describe, expect, test } from 'vitest';
import { join, subscribe, waitDecoding, waitRemoteStream } from '../conversation/helpers.js';
import { useNetworkScene } from './scene.js';
import { connectionsOf, convUserOn } from './turnPages.js';

const NAME = 'network-turn-tls';

describe('TURN over TLS for a client whose UDP is blocked', () => {
  const scene = useNetworkScene({
    name: NAME,
    coturn: { tls: true, urls: (turn) => [`turns:${turn.host}:${turn.tlsPort}?transport=tcp`] },
    // It would trust a real certificate; this one is made for the run.
    nsBrowserArgs: ['--ignore-certificate-errors'],
    prepare: (s) => s.ns.blockUdp(),
  });

  test("the blocked subscriber decodes the publisher's video relayed over TLS", async () => {
    const a = await convUserOn(scene.hostBrowser, scene.server.url, 'alice');
    const b = await convUserOn(scene.nsBrowser, scene.nsOrigin, 'bob');
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
        `turns:${scene.coturn.address}:${scene.coturn.tlsPort}?transport=tcp`,
      );
    // The connection that carries alice's video: a relay candidate reached over TLS.
    for (const local of selected) expect(local).toMatchObject({ candidateType: 'relay', relayProtocol: 'tls' });
    expect(await scene.ns.ruleset()).toContain('meta l4proto udp drop');
  });
});
