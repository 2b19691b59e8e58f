import { describe, expect, it } from 'vitest';
import { codeOf, joinConversation, publish } from './helpers/conversation.js';
import { TestClient } from './helpers/TestClient.js';
import { useTestServer } from './helpers/testServer.js';

const env = useTestServer({ conversations: { meshOnlyMaxParticipants: 6 } });

async function users(prefix: string, n: number): Promise<TestClient[]> {
  const out: TestClient[] = [];
  for (let i = 1; i <= n; i++) out.push(await env.user(`${prefix}-${i}`));
  return out;
}

describe('mesh conversations', () => {
  it('relays mesh.signal between participants, refuses outsiders (8) and SFU rooms (16)', async () => {
    const [a, b, c] = (await users('m1', 3)) as [TestClient, TestClient, TestClient];
    expect(await joinConversation(a, 'm1', { mesh: true })).toEqual({ mode: 'mesh', meshOnly: false });
    // The first participant decides: a later sfu-minded joiner still gets mesh.
    expect(await joinConversation(b, 'm1')).toEqual({ mode: 'mesh', meshOnly: false });
    const payload = { kind: 'offer', sdp: 'v=0\r\n' };
    expect((await a.request({ type: 'mesh.signal', conversation: 'm1', to: 'm1-2', payload })).ok).toBe(true);
    expect(await b.nextEvent('mesh.signal')).toMatchObject({ conversation: 'm1', from: 'm1-1', payload });
    const subscribe = { kind: 'subscribe', streamId: 4, audio: true, video: false };
    expect((await b.request({ type: 'mesh.signal', conversation: 'm1', to: 'm1-1', payload: subscribe })).ok).toBe(true);
    expect(await a.nextEvent('mesh.signal')).toMatchObject({ from: 'm1-2', payload: subscribe });
    // c is not in the conversation: as target 8, as sender 16.
    expect(codeOf(await a.request({ type: 'mesh.signal', conversation: 'm1', to: 'm1-3', payload }))).toBe(8);
    expect(codeOf(await c.request({ type: 'mesh.signal', conversation: 'm1', to: 'm1-1', payload }))).toBe(16);
    // SFU rooms relay nothing, and mesh rooms have no SFU media.
    await joinConversation(a, 'm1-sfu');
    await joinConversation(c, 'm1-sfu');
    expect(codeOf(await a.request({ type: 'mesh.signal', conversation: 'm1-sfu', to: 'm1-3', payload }))).toBe(16);
    expect(codeOf(await a.request({ type: 'media.publisherOffer', conversation: 'm1', sdp: 'v=0\r\n' }))).toBe(16);
  });

  it('a fifth participant moves the room to SFU; everyone already in gets modeChanged', async () => {
    const all = await users('m2', 5);
    const first4 = all.slice(0, 4);
    for (const c of first4) expect((await joinConversation(c, 'm2', { mesh: true })).mode).toBe('mesh');
    expect((await publish(all[0] as TestClient, 'm2', 21)).ok).toBe(true);
    expect((await (all[1] as TestClient).request({ type: 'conv.subscribe', conversation: 'm2', streamId: 21 })).ok).toBe(true);
    const fifth = all[4] as TestClient;
    const joinId = fifth.send({ type: 'conv.join', conversation: 'm2', meshModeEnabled: true, meshOnlyEnabled: false });
    expect(await fifth.nextAnswer(joinId)).toMatchObject({ ok: true, data: { mode: 'sfu', meshOnly: false } });
    // Stream ids survive the switch: the joiner learns the stream as published in mesh.
    expect(await fifth.nextEvent('conv.stream')).toMatchObject({ change: 'added', stream: { streamId: 21 } });
    for (const c of first4) {
      expect(await c.nextEvent('conv.modeChanged')).toMatchObject({ conversation: 'm2', oldMode: 'mesh', newMode: 'sfu', state: 'ongoing' });
    }
    expect(fifth.pendingEvents().some((e) => e.type === 'conv.modeChanged')).toBe(false);
    const payload = { kind: 'answer', sdp: 'v=0\r\n' };
    expect(codeOf(await (all[0] as TestClient).request({ type: 'mesh.signal', conversation: 'm2', to: 'm2-2', payload }))).toBe(16);
    // Mesh subscriptions were forgotten: unpublishing ends no subscription.
    expect((await (all[0] as TestClient).request({ type: 'conv.unpublish', conversation: 'm2', streamId: 21 })).ok).toBe(true);
    await (all[1] as TestClient).nextEvent('conv.stream', (e) => e.change === 'removed');
    expect((all[1] as TestClient).pendingEvents().some((e) => e.type === 'conv.subscriptionEnded')).toBe(false);
  });

  it('mesh-only rooms never switch and refuse joiners beyond their cap (14)', async () => {
    const all = await users('m3', 7);
    for (const c of all.slice(0, 6)) expect(await joinConversation(c, 'm3', { mesh: true, meshOnly: true })).toEqual({ mode: 'mesh', meshOnly: true });
    for (let i = 0; i < 4; i++)
      expect((await (all[0] as TestClient).request({ type: 'conv.qualityReport', conversation: 'm3', lossRatio: 0.5 })).ok).toBe(true);
    const answer = await (all[6] as TestClient).request({ type: 'conv.join', conversation: 'm3', meshModeEnabled: true, meshOnlyEnabled: true });
    expect(codeOf(answer)).toBe(14);
    await (all[0] as TestClient).request({ type: 'ping' });
    expect(all.some((c) => c.pendingEvents().some((e) => e.type === 'conv.modeChanged'))).toBe(false);
    // The refused user is not in the conversation.
    expect(codeOf(await (all[6] as TestClient).request({ type: 'conv.data', conversation: 'm3', content: 1 }))).toBe(16);
  });

  it('three bad loss reports in a row switch the room; a good one resets the streak', async () => {
    const [a, b] = (await users('m4', 2)) as [TestClient, TestClient];
    await joinConversation(a, 'm4', { mesh: true });
    await joinConversation(b, 'm4', { mesh: true });
    const report = (lossRatio: number): Promise<unknown> => b.request({ type: 'conv.qualityReport', conversation: 'm4', lossRatio });
    await report(0.2);
    await report(0.3);
    await report(0.05);
    await report(0.2);
    await report(0.2);
    await a.request({ type: 'ping' });
    expect(a.pendingEvents().some((e) => e.type === 'conv.modeChanged')).toBe(false);
    await report(0.11);
    for (const c of [a, b]) expect(await c.nextEvent('conv.modeChanged')).toMatchObject({ oldMode: 'mesh', newMode: 'sfu' });
    // Once SFU, the room stays SFU.
    await report(0.9);
    const third = (await users('m4b', 1))[0] as TestClient;
    expect((await joinConversation(third, 'm4', { mesh: true })).mode).toBe('sfu');
  });

  it('mesh rooms send no media through the server', async () => {
    const [a, b] = (await users('m5', 2)) as [TestClient, TestClient];
    await joinConversation(a, 'm5', { mesh: true });
    await joinConversation(b, 'm5', { mesh: true });
    expect((await publish(a, 'm5', 1)).ok).toBe(true);
    const stats = (await (await fetch(`${env.server.url}/api/v1/stats`)).json()) as { conversations: number; sfu: { rooms: number; peers: number } };
    expect(stats.conversations).toBeGreaterThanOrEqual(1);
    expect(stats.sfu.rooms).toBe(0);
    expect(stats.sfu.peers).toBe(0);
  });
});
