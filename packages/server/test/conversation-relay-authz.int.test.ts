import { describe, expect, it } from 'vitest';
import { codeOf, joinConversation, publish } from './helpers/conversation.js';
import type { TestClient } from './helpers/TestClient.js';
import { useTestServer } from './helpers/testServer.js';

/*
 * Issue 9 finding 5: remote control of a publisher (conv.relay) is for the subscribers of that
 * stream; re-enabling a publisher's media needs the publisher's opt-in; device ids never come
 * back through the server.
 */

const env = useTestServer({ conversations: { relayTimeoutMs: 2_000 } });

const relay = (client: TestClient, conversation: string, streamId: number, action: string, args?: unknown) =>
  client.request({ type: 'conv.relay', conversation, streamId, action, ...(args !== undefined ? { args } : {}) });

/** Alice publishes stream 1 in `name` (mesh, no media needed); Bob joins; nobody subscribes yet. */
async function room(name: string, publishExtra: Record<string, unknown> = {}): Promise<{ alice: TestClient; bob: TestClient }> {
  const alice = await env.user(`${name}-alice`);
  const bob = await env.user(`${name}-bob`);
  await joinConversation(alice, name, { mesh: true });
  await joinConversation(bob, name, { mesh: true });
  if (Object.keys(publishExtra).length === 0) expect((await publish(alice, name, 1)).ok).toBe(true);
  else {
    const answer = await alice.request({
      type: 'conv.publish',
      conversation: name,
      streamId: 1,
      msid: 'ms-1',
      hasAudio: true,
      hasVideo: true,
      isAudioMuted: true,
      isVideoMuted: true,
      isScreensharing: false,
      ...publishExtra,
    });
    expect(answer.ok).toBe(true);
  }
  return { alice, bob };
}

describe('conv.relay authorization', () => {
  it('a participant that does not subscribe to the stream gets code 4 for every action, and the publisher hears nothing', async () => {
    const { alice, bob } = await room('r1');
    for (const action of [
      'enableAudio',
      'enableVideo',
      'disableAudio',
      'applyConstraints',
      'getSettings',
      'getConstraints',
      'getCapabilities',
      'getAudioFlowStatus',
    ]) {
      const answer = await relay(bob, 'r1', 1, action, action === 'applyConstraints' ? { video: { width: 1 } } : undefined);
      expect({ action, code: codeOf(answer) }).toEqual({ action, code: 4 });
    }
    // Nor on one's own stream (a publisher does not subscribe to itself).
    expect(codeOf(await relay(alice, 'r1', 1, 'getSettings'))).toBe(4);
    await alice.request({ type: 'ping' });
    expect(alice.pendingEvents().filter((e) => e.type === 'conv.relayRequest')).toEqual([]);
  });

  it('a subscriber may disable and read, but not re-enable a publisher that did not opt in (code 14)', async () => {
    const { alice, bob } = await room('r2');
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'r2', streamId: 1 })).ok).toBe(true);
    expect(codeOf(await relay(bob, 'r2', 1, 'enableAudio'))).toBe(14);
    expect(codeOf(await relay(bob, 'r2', 1, 'enableVideo'))).toBe(14);
    const disableId = bob.send({ type: 'conv.relay', conversation: 'r2', streamId: 1, action: 'disableAudio' });
    const request = await alice.nextEvent('conv.relayRequest');
    expect(request).toMatchObject({ from: 'r2-bob', action: 'disableAudio' });
    expect((await alice.request({ type: 'conv.relayAnswer', relayId: request.relayId, ok: true })).ok).toBe(true);
    expect((await bob.nextAnswer(disableId)).ok).toBe(true);
    // After unsubscribing, the right is gone.
    expect((await bob.request({ type: 'conv.unsubscribe', conversation: 'r2', streamId: 1 })).ok).toBe(true);
    expect(codeOf(await relay(bob, 'r2', 1, 'disableVideo'))).toBe(4);
  });

  it('a publisher that opted in (remoteUnmuteEnabled) can be re-enabled by a subscriber', async () => {
    const { alice, bob } = await room('r3', { remoteUnmuteEnabled: true });
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'r3', streamId: 1 })).ok).toBe(true);
    const enableId = bob.send({ type: 'conv.relay', conversation: 'r3', streamId: 1, action: 'enableVideo' });
    const request = await alice.nextEvent('conv.relayRequest');
    expect(request).toMatchObject({ action: 'enableVideo', streamId: 1 });
    expect((await alice.request({ type: 'conv.relayAnswer', relayId: request.relayId, ok: true })).ok).toBe(true);
    expect((await bob.nextAnswer(enableId)).ok).toBe(true);
    // The opt-in is the publisher's business: other participants do not see it.
    expect(JSON.stringify(bob.pendingEvents())).not.toContain('remoteUnmute');
  });

  it('deviceId and groupId never cross the server: relay results, relayed arguments and constraintsChanged', async () => {
    const { alice, bob } = await room('r4');
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'r4', streamId: 1 })).ok).toBe(true);
    const settingsId = bob.send({ type: 'conv.relay', conversation: 'r4', streamId: 1, action: 'getSettings' });
    const request = await alice.nextEvent('conv.relayRequest');
    const result = {
      audio: { deviceId: 'mic-secret', groupId: 'group-secret', sampleRate: 48000 },
      video: { deviceId: 'cam-secret', groupId: 'group-secret', width: 640, advanced: [{ deviceId: 'x', torch: true }] },
    };
    expect((await alice.request({ type: 'conv.relayAnswer', relayId: request.relayId, ok: true, result })).ok).toBe(true);
    const answer = await bob.nextAnswer(settingsId);
    expect(answer).toMatchObject({ ok: true, data: { result: { audio: { sampleRate: 48000 }, video: { width: 640, advanced: [{ torch: true }] } } } });
    expect(JSON.stringify(answer)).not.toMatch(/deviceId|groupId|secret/);

    // A subscriber cannot choose (or probe) the publisher's device either.
    const applyId = bob.send({
      type: 'conv.relay',
      conversation: 'r4',
      streamId: 1,
      action: 'applyConstraints',
      args: { video: { deviceId: { exact: 'guess' }, width: 320 } },
    });
    const apply = await alice.nextEvent('conv.relayRequest');
    expect(apply.args).toEqual({ video: { width: 320 } });
    await alice.request({ type: 'conv.relayAnswer', relayId: apply.relayId, ok: true });
    expect((await bob.nextAnswer(applyId)).ok).toBe(true);

    expect(
      (
        await alice.request({
          type: 'conv.constraintsChanged',
          conversation: 'r4',
          streamId: 1,
          constraints: { video: { deviceId: 'cam-secret', width: 320 } },
        })
      ).ok,
    ).toBe(true);
    expect((await bob.nextEvent('conv.constraintsChanged')).constraints).toEqual({ video: { width: 320 } });
  });
});
