// TURN through a real coturn: a subscriber whose UDP is blocked (nftables in its namespace) joins
// an SFU conversation and decodes video through coturn over TCP, with the ephemeral credentials
// the Parley server handed its session; coturn refuses a wrong or an expired credential.
// Root only (network namespaces): fails with the reason otherwise, never skips.
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { RunningServer } from '../harness/index.js';
import { join, subscribe, waitDecoding, waitRemoteStream } from '../conversation/helpers.js';
import { useNetworkScene } from './scene.js';
import { allocateOverTcp } from './turnAllocate.js';
import { connectionsOf, convUserOn } from './turnPages.js';

const NAME = 'network-turn';

/** The server's repair port admitted flows and repaired zero tiebreakers (its counters in /api/v1/stats). */
async function expectRepairUsed(running: RunningServer): Promise<void> {
  const response = await fetch(`${running.url}/api/v1/stats`); // loopback: no token needed
  const stats = (await response.json()) as { sfu?: { iceRepair?: { flowsOpened: number; rewrites: number; packetsIn: number; packetsOut: number } } };
  expect(stats.sfu?.iceRepair?.flowsOpened).toBeGreaterThan(0);
  expect(stats.sfu?.iceRepair?.rewrites).toBeGreaterThan(0);
  expect(stats.sfu?.iceRepair?.packetsOut).toBeGreaterThan(0);
  // The same counters in the Prometheus exposition.
  const metrics = await (await fetch(`${running.url}/metrics`)).text();
  expect(Number(/^parley_ice_repair_rewrites_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
}

describe('TURN through coturn for a client whose UDP is blocked', () => {
  const scene = useNetworkScene({
    name: NAME,
    coturn: { urls: (turn) => [`turn:${turn.host}:${turn.port}?transport=udp`, `turn:${turn.host}:${turn.port}?transport=tcp`] },
    serverEnv: () => ({ PARLEY_TURN_TTL_S: '600' }),
    prepare: (s) => s.ns.blockUdp(),
  });
  // Over a TURN/TCP (or TLS) allocation Chromium sends its checks with a zero ICE tiebreaker,
  // which the SFU's libjuice answers 400 (libjuice issue #355); the server's ICE check repair
  // port (docs/operations.md § TURN) is the path that works: its candidate's checks get a
  // nonzero tiebreaker on the way to libjuice.
  test("the blocked subscriber decodes the publisher's video over a TURN/TCP relay, with the credentials its session was given", async () => {
    const a = await convUserOn(scene.hostBrowser, scene.server.url, 'alice');
    const b = await convUserOn(scene.nsBrowser, scene.nsOrigin, 'bob');
    await join(a.user, 'turn-room');
    await join(b.user, 'turn-room');
    await a.user.page.evaluate(() => CONV.publishCamera());
    const id = await waitRemoteStream(b.user);
    await subscribe(b.user, id);
    await waitDecoding(b.user, 'bob (UDP blocked) receives alice');

    const bob = await connectionsOf(b.user);
    expect(bob.length).toBeGreaterThan(0);
    for (const pc of bob) {
      // The session's servers: TURN over UDP and TCP on coturn, REST-scheme username for bob.
      const turn = pc.iceServers.find((s) => s.username !== undefined);
      expect(turn?.urls).toEqual([
        `turn:${scene.coturn.address}:${scene.coturn.port}?transport=udp`,
        `turn:${scene.coturn.address}:${scene.coturn.port}?transport=tcp`,
      ]);
      expect(turn?.username).toMatch(new RegExp(`^\\d+:${b.id}$`));
      const expiry = Number(turn?.username?.split(':')[0]);
      expect(expiry * 1000).toBeGreaterThan(Date.now());
      expect(expiry * 1000).toBeLessThanOrEqual(Date.now() + 600_000);
    }
    // The connection that carries alice's video: through the relay, reached over TCP.
    const selected = bob.map((pc) => pc.local).filter((local) => local !== undefined);
    expect(selected.length).toBeGreaterThan(0);
    for (const local of selected) expect(local).toMatchObject({ candidateType: 'relay', relayProtocol: 'tcp' });
    // And UDP really is blocked for bob: nothing left the namespace as UDP.
    expect(await scene.ns.ruleset()).toContain('meta l4proto udp drop');
    await expectRepairUsed(scene.server);
  });

  test('the blocked client publishes over a TURN/TCP relay and the other side decodes it', async () => {
    const a = await convUserOn(scene.hostBrowser, scene.server.url, 'gina');
    const b = await convUserOn(scene.nsBrowser, scene.nsOrigin, 'hank');
    await join(a.user, 'turn-pub-room');
    await join(b.user, 'turn-pub-room');
    // hank's publisher connection: the browser offers, so it is the controlling agent (ICE-CONTROLLING=0 through TCP).
    await b.user.page.evaluate(() => CONV.publishCamera());
    await subscribe(a.user, await waitRemoteStream(a.user));
    await waitDecoding(a.user, 'gina receives hank (UDP blocked)');
    const selected = (await connectionsOf(b.user)).map((pc) => pc.local).filter((local) => local !== undefined);
    expect(selected.length).toBeGreaterThan(0);
    for (const local of selected) expect(local).toMatchObject({ candidateType: 'relay', relayProtocol: 'tcp' });
    expect(await scene.ns.ruleset()).toContain('meta l4proto udp drop');
    await expectRepairUsed(scene.server);
  });

  test('a subscriber whose UDP reaches only coturn decodes the video over a TURN/UDP relay', async () => {
    const turn = scene.coturn;
    const net = scene.ns;
    await net.blockUdp(true, { except: [{ address: turn.address, port: turn.port }] });
    try {
      const a = await convUserOn(scene.hostBrowser, scene.server.url, 'erin');
      const b = await convUserOn(scene.nsBrowser, scene.nsOrigin, 'frank');
      await join(a.user, 'turn-udp-room');
      await join(b.user, 'turn-udp-room');
      await a.user.page.evaluate(() => CONV.publishCamera());
      await subscribe(b.user, await waitRemoteStream(b.user));
      await waitDecoding(b.user, 'frank (UDP only to coturn) receives erin');
      const selected = (await connectionsOf(b.user)).map((pc) => pc.local).filter((local) => local !== undefined);
      expect(selected.length).toBeGreaterThan(0);
      for (const local of selected) expect(local).toMatchObject({ candidateType: 'relay', relayProtocol: 'udp' });
    } finally {
      await net.blockUdp(true);
    }
  });

  test('coturn takes the credential the server issued and refuses a wrong or an expired one', async () => {
    const turn = scene.coturn;
    const b = await convUserOn(scene.nsBrowser, scene.nsOrigin, 'carol');
    // The credentials the server handed carol's session (read where the SDK keeps them: a connection's configuration).
    await join(b.user, 'turn-cred-room');
    const a = await convUserOn(scene.hostBrowser, scene.server.url, 'dave');
    await join(a.user, 'turn-cred-room');
    await a.user.page.evaluate(() => CONV.publishCamera());
    await subscribe(b.user, await waitRemoteStream(b.user));
    const issued = (await connectionsOf(b.user))[0]?.iceServers.find((s) => s.username !== undefined);
    const username = String(issued?.username);
    const credential = String(issued?.credential);
    expect(username).toMatch(new RegExp(`^\\d+:${b.id}$`));

    expect(await allocateOverTcp(turn.address, turn.port, username, credential)).toEqual({ success: true });
    // Wrong password for a valid username.
    const wrong = await allocateOverTcp(turn.address, turn.port, username, Buffer.from('not the right one').toString('base64'));
    expect(wrong).toMatchObject({ success: false, code: 401 });
    // Right HMAC for an expiry in the past.
    const expiredName = `${Math.floor(Date.now() / 1000) - 60}:${b.id}`;
    const expiredPassword = createHmac('sha1', turn.secret).update(expiredName).digest('base64');
    expect(await allocateOverTcp(turn.address, turn.port, expiredName, expiredPassword)).toMatchObject({ success: false, code: 401 });
    // The same scheme with a future expiry is accepted: the refusal above is the expiry, not the HMAC.
    const freshName = `${Math.floor(Date.now() / 1000) + 60}:${b.id}`;
    expect(await allocateOverTcp(turn.address, turn.port, freshName, createHmac('sha1', turn.secret).update(freshName).digest('base64'))).toEqual({
      success: true,
    });
  });
});
