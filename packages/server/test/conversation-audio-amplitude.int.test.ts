import { describe, expect, it } from 'vitest';
import { codeOf, joinConversation, publish } from './helpers/conversation.js';
import { useTestServer } from './helpers/testServer.js';

/*
 * Speaker detection relay (issue 12): a publisher's `conv.audioAmplitude` reaches the subscribers
 * of that stream and nobody else; nobody but the publisher may speak for a stream.
 */

const env = useTestServer();

describe('conv.audioAmplitude', () => {
  it('is forwarded to the subscribers of the stream only, and refused from anyone but its publisher', async () => {
    const alice = await env.user('aa-alice');
    const bob = await env.user('aa-bob');
    const carol = await env.user('aa-carol');
    for (const c of [alice, bob, carol]) await joinConversation(c, 'aa', { mesh: true });
    expect((await publish(alice, 'aa', 5)).ok).toBe(true);
    expect((await bob.request({ type: 'conv.subscribe', conversation: 'aa', streamId: 5 })).ok).toBe(true);

    const sent = await alice.request({ type: 'conv.audioAmplitude', conversation: 'aa', streamId: 5, amplitude: 130.25, isSpeaking: true });
    expect(sent.ok).toBe(true);
    expect(await bob.nextEvent('conv.audioAmplitude')).toMatchObject({ conversation: 'aa', streamId: 5, amplitude: 130.25, isSpeaking: true });

    // Bob (a subscriber, not the publisher) cannot report for Alice's stream; unknown stream: 8.
    expect(codeOf(await bob.request({ type: 'conv.audioAmplitude', conversation: 'aa', streamId: 5, amplitude: 1, isSpeaking: false }))).toBe(14);
    expect(codeOf(await alice.request({ type: 'conv.audioAmplitude', conversation: 'aa', streamId: 6, amplitude: 1, isSpeaking: false }))).toBe(8);
    // Out-of-range amplitude: schema refusal, code 9.
    expect(codeOf(await alice.request({ type: 'conv.audioAmplitude', conversation: 'aa', streamId: 5, amplitude: 256, isSpeaking: true }))).toBe(9);

    // Carol did not subscribe: she hears nothing; Alice does not get her own report back.
    await carol.request({ type: 'ping' });
    await alice.request({ type: 'ping' });
    expect(carol.pendingEvents().filter((e) => e.type === 'conv.audioAmplitude')).toEqual([]);
    expect(alice.pendingEvents().filter((e) => e.type === 'conv.audioAmplitude')).toEqual([]);
  });
});
