import { Bounds, Defaults } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { codeOf, joinConversation, publish } from './helpers/conversation.js';
import { TestClient } from './helpers/TestClient.js';
import { useTestServer } from './helpers/testServer.js';

/*
 * Issue 9, finding 1: input that used to crash the process later (deeply nested JSON that
 * overflows JSON.stringify in a promise continuation or a timer) and free-form fields without a
 * size bound. Each test ends by checking that the server still answers.
 */

const env = useTestServer({ limits: { resumeWindowMs: 300 }, conversations: { relayTimeoutMs: 500 } });
const user = (userId: string): Promise<TestClient> => env.user(userId);

/** `[[[…1…]]]` nested `depth` levels. */
function nested(depth: number): string {
  return '['.repeat(depth) + '1' + ']'.repeat(depth);
}

async function alive(): Promise<void> {
  const probe = await env.user(`probe-${Math.random().toString(36).slice(2)}`);
  expect((await probe.request({ type: 'ping' })).ok).toBe(true);
}

describe('deeply nested frames', () => {
  it('a frame nested 20,000 deep is refused with code 9 (by id when readable), and the connection goes on', async () => {
    const alice = await user('d1-alice');
    alice.sendRaw('{"type":"ping","id":41,"x":' + nested(20_000) + '}');
    expect(await alice.nextAnswer(41)).toMatchObject({ ok: false, error: { code: 9, message: 'message nested deeper than 32 levels' } });
    alice.sendRaw(nested(20_000));
    expect(await alice.nextProtocolError()).toMatchObject({ code: 9, message: 'message nested deeper than 32 levels' });
    // Brackets inside strings do not count.
    expect((await alice.request({ type: 'contact.send', to: 'd1-alice', kind: 'data', content: '[{'.repeat(1000) })).ok).toBe(true);
    expect((await alice.request({ type: 'ping' })).ok).toBe(true);
    await alive();
  });

  it('a relay answered with a result nested 20,000 deep is refused; the requester gets a timeout, the server lives', async () => {
    const alice = await user('d2-alice');
    const bob = await user('d2-bob');
    await joinConversation(alice, 'd2', { mesh: true });
    await joinConversation(bob, 'd2', { mesh: true });
    expect((await publish(alice, 'd2', 1)).ok).toBe(true);
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'd2', streamId: 1 })).ok).toBe(true);
    const relayId = bob.send({ type: 'conv.relay', conversation: 'd2', streamId: 1, action: 'getSettings' });
    const request = await alice.nextEvent('conv.relayRequest');
    alice.sendRaw(`{"type":"conv.relayAnswer","id":900,"relayId":${request.relayId},"ok":true,"result":${nested(20_000)}}`);
    expect(await alice.nextAnswer(900)).toMatchObject({ ok: false, error: { code: 9 } });
    expect(await bob.nextAnswer(relayId)).toMatchObject({ ok: false, error: { code: 11 } });
    // Within the depth limit but larger than the bound: refused too, naming the field.
    const again = bob.send({ type: 'conv.relay', conversation: 'd2', streamId: 1, action: 'getSettings' });
    const second = await alice.nextEvent('conv.relayRequest');
    const big = await alice.request({ type: 'conv.relayAnswer', relayId: second.relayId, ok: true, result: { blob: 'x'.repeat(Bounds.relayResult) } });
    expect(big).toMatchObject({ ok: false, error: { code: 9, message: `result: larger than ${Bounds.relayResult} bytes as JSON` } });
    expect((await alice.request({ type: 'conv.relayAnswer', relayId: second.relayId, ok: true, result: { width: 640 } })).ok).toBe(true);
    expect(await bob.nextAnswer(again)).toMatchObject({ ok: true, data: { result: { width: 640 } } });
    await alive();
  });

  it('a publish with a context nested 20,000 deep is refused; late joiners get the stream list; the publisher expires without a crash', async () => {
    const alice = await user('d3-alice');
    await joinConversation(alice, 'd3');
    const deep = `{"type":"conv.publish","id":901,"conversation":"d3","streamId":66,"msid":"m66","hasAudio":true,"hasVideo":true,"isAudioMuted":false,"isVideoMuted":false,"isScreensharing":false,"context":{"a":${nested(20_000)}}}`;
    alice.sendRaw(deep);
    expect(await alice.nextAnswer(901)).toMatchObject({ ok: false, error: { code: 9 } });
    expect((await publish(alice, 'd3', 67)).ok).toBe(true);

    const carol = await user('d3-carol');
    await joinConversation(carol, 'd3');
    expect(await carol.nextEvent('conv.stream')).toMatchObject({ change: 'added', stream: { streamId: 67, publisherId: 'd3-alice' } });
    await carol.request({ type: 'ping' });
    expect(carol.pendingEvents().filter((e) => e.type === 'conv.stream')).toEqual([]);

    // The publisher disconnects; when its resume window ends, its streams are withdrawn.
    await alice.drop();
    expect(await carol.nextEvent('conv.stream', (e) => e.change === 'removed')).toMatchObject({ stream: { streamId: 67 } });
    expect(await carol.nextEvent('presence', (e) => Object.keys(e.leftConversation ?? {}).length > 0)).toMatchObject({
      leftConversation: { d3: ['d3-alice'] },
    });
    await alive();
  });
});

describe('free-form fields are bounded (code 9)', () => {
  it('refuses each oversized field with a message naming it, and accepts the same field within its bound', async () => {
    const alice = await user('b1-alice');
    await joinConversation(alice, 'b1', { mesh: true });
    const text = (bytes: number): string => 'x'.repeat(bytes);
    const cases: [Record<string, unknown> & { type: string }, string, number][] = [
      [
        {
          type: 'conv.publish',
          conversation: 'b1',
          streamId: 5,
          msid: 'm5',
          hasAudio: true,
          hasVideo: false,
          isAudioMuted: false,
          isVideoMuted: false,
          isScreensharing: false,
          context: { t: text(Bounds.streamContext) },
        },
        'context',
        Bounds.streamContext,
      ],
      [{ type: 'conv.message', conversation: 'b1', content: text(Bounds.messageContent) }, 'content', Bounds.messageContent],
      [{ type: 'conv.message', conversation: 'b1', content: 'hi', metadata: { t: text(Bounds.messageMetadata) } }, 'metadata', Bounds.messageMetadata],
      [{ type: 'conv.data', conversation: 'b1', content: { t: text(Bounds.dataContent) } }, 'content', Bounds.dataContent],
      [{ type: 'conv.customEvent', conversation: 'b1', event: 'e', content: [text(Bounds.dataContent)] }, 'content', Bounds.dataContent],
      [{ type: 'conv.relay', conversation: 'b1', streamId: 5, action: 'applyConstraints', args: { t: text(Bounds.relayArgs) } }, 'args', Bounds.relayArgs],
      [{ type: 'conv.constraintsChanged', conversation: 'b1', streamId: 5, constraints: { t: text(Bounds.constraints) } }, 'constraints', Bounds.constraints],
      [{ type: 'contact.send', to: 'b1-alice', kind: 'message', content: text(Bounds.messageContent) }, 'content', Bounds.messageContent],
      [{ type: 'contact.send', to: 'b1-alice', kind: 'data', content: text(Bounds.dataContent) }, 'content', Bounds.dataContent],
      [{ type: 'contact.send', to: 'b1-alice', kind: 'customEvent', event: 'e', content: text(Bounds.dataContent) }, 'content', Bounds.dataContent],
    ];
    for (const [request, field, bound] of cases) {
      const answer = await alice.request(request);
      expect(answer, request.type).toMatchObject({ ok: false, error: { code: 9, message: `${field}: larger than ${bound} bytes as JSON` } });
    }
    // Within the bound (multi-byte characters counted as bytes): accepted.
    expect((await alice.request({ type: 'conv.message', conversation: 'b1', content: 'é'.repeat(Bounds.messageContent / 2 - 2) })).ok).toBe(true);
    expect(codeOf(await alice.request({ type: 'conv.message', conversation: 'b1', content: 'é'.repeat(Bounds.messageContent / 2) }))).toBe(9);
    // User data: the server's own limit (default 16 KiB) is below the protocol's ceiling.
    expect(codeOf(await alice.request({ type: 'userData.set', userData: { t: text(Defaults.maxUserDataBytes) } }))).toBe(9);
    expect((await alice.request({ type: 'ping' })).ok).toBe(true);
  });
});
