// The demo app (apps/meet) for a user behind a firewall that lets UDP reach only the TURN server:
// both users see and hear each other, the firewalled one through coturn (TURN/UDP relay for its
// publisher and subscriber connections). And for a user whose network blocks every UDP packet:
// the same over TURN/TCP, through the server's ICE check repair port (see turn.e2e.test.ts).
// Root only (network namespaces): fails with the reason otherwise, never skips.
import type { Browser } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { DEFAULT_WAIT_MS, newUser, type User } from '../harness/index.js';
import { remoteTile, tilePlays } from '../harness/meetTiles.js';
import { useNetworkScene } from './scene.js';

const NAME = 'network-meet-turn';
const WAIT = { timeout: DEFAULT_WAIT_MS };
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
  const scene = useNetworkScene({
    name: NAME,
    coturn: { urls: (turn) => [`turn:${turn.host}:${turn.port}?transport=udp`, `turn:${turn.host}:${turn.port}?transport=tcp`] },
    prepare: (s) => s.ns.blockUdp(true, { except: [{ address: s.coturn.address, port: s.coturn.port }] }),
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

  test('both users see each other; the firewalled one through coturn', async () => {
    const alice = await joinCall(scene.hostBrowser, scene.server.url, 'Alice', 'turn-meet');
    const bob = await joinCall(scene.nsBrowser, scene.nsOrigin, 'Bob', 'turn-meet');
    await tilePlays(bob, remoteTile('Alice'));
    await tilePlays(alice, remoteTile('Bob'));
    // Every connection of bob's page runs through a relay candidate (UDP to coturn).
    const locals = await selectedLocals(bob);
    expect(locals.length).toBeGreaterThanOrEqual(2); // publisher and subscriber connections
    for (const local of locals) expect(local).toEqual({ candidateType: 'relay', relayProtocol: 'udp' });
  });

  test('both users see each other when every UDP packet of the firewalled one is dropped (TURN over TCP)', async () => {
    const net = scene.ns;
    const turn = scene.coturn;
    await net.blockUdp(true);
    try {
      const carol = await joinCall(scene.hostBrowser, scene.server.url, 'Carol', 'turn-tcp-meet');
      const dan = await joinCall(scene.nsBrowser, scene.nsOrigin, 'Dan', 'turn-tcp-meet');
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
