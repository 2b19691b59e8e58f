import { describe, expect, test } from 'vitest';
import type { RequestBody } from '../../engine/Engine.js';
import type { ConversationContext } from './context.js';
import { ConversationSignalling } from './ConversationSignalling.js';

/** A context whose requests are recorded and answered by `answer`. */
function recorder(answer: (body: RequestBody) => unknown = () => undefined): { ctx: ConversationContext; sent: RequestBody[] } {
  const sent: RequestBody[] = [];
  const ctx = {
    request: async (body: RequestBody) => {
      sent.push(body);
      return answer(body);
    },
  } as unknown as ConversationContext; // only request() is used by the port
  return { ctx, sent };
}

describe("ConversationSignalling (the media planes' port)", () => {
  test('each signal becomes its request of the conversation', async () => {
    const { ctx, sent } = recorder((b) => (b.type === 'media.publisherOffer' ? { sdp: 'answer-sdp' } : undefined));
    const port = new ConversationSignalling(ctx, 'room');
    expect(await port.publisherOffer('offer-sdp')).toBe('answer-sdp');
    await port.subscriberAnswer('sub-answer');
    port.candidate('publisher', 'cand', '0');
    port.candidate('subscriber', '', undefined);
    port.meshSignal('9', { kind: 'subscribe', streamId: 4, audio: true, video: false });
    port.qualityReport(0.25);
    expect(sent).toEqual([
      { type: 'media.publisherOffer', conversation: 'room', sdp: 'offer-sdp' },
      { type: 'media.subscriberAnswer', conversation: 'room', sdp: 'sub-answer' },
      { type: 'media.candidate', conversation: 'room', transport: 'publisher', candidate: 'cand', sdpMid: '0' },
      { type: 'media.candidate', conversation: 'room', transport: 'subscriber', candidate: '' },
      { type: 'mesh.signal', conversation: 'room', to: '9', payload: { kind: 'subscribe', streamId: 4, audio: true, video: false } },
      { type: 'conv.qualityReport', conversation: 'room', lossRatio: 0.25 },
    ]);
  });

  test('a publisher offer answered without sdp rejects', async () => {
    const { ctx } = recorder(() => ({}));
    await expect(new ConversationSignalling(ctx, 'room').publisherOffer('x')).rejects.toThrow('no answer sdp');
  });
});
