import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage } from '../harness/index.js';
import { convUser, join } from './helpers.js';

const env = useE2E('conversation-messaging');

describe('conversation chat, data, custom events and documented errors', () => {
  test('sendMessage / sendData / sendCustomEvent reach the other participant (and Session customEvent)', async () => {
    const a = await convUser(env, 'alice');
    const b = await convUser(env, 'bob');
    await join(a.user, 'chat-1');
    await join(b.user, 'chat-1');
    await waitInPage(a.user, 'contactJoined bob', (id: string) => E2E.of('contactJoined').some((e) => e.id === id), b.id);
    await b.user.page.evaluate(() =>
      E2E.session.on('customEvent', (e: { event: string; conversation?: { getName(): string }; sender: { getId(): string } }) =>
        E2E.record('session:customEvent', { event: e.event, conv: e.conversation && e.conversation.getName(), senderId: e.sender.getId() }),
      ),
    );

    const uuid = await a.user.page.evaluate(() => CONV.conv.sendMessage('hello room', { metadata: { lang: 'en' } }));
    expect(typeof uuid).toBe('number');
    await a.user.page.evaluate(() => CONV.conv.sendData({ cursor: [1, 2] }));
    await a.user.page.evaluate(() => CONV.conv.sendCustomEvent('wave', { hand: 'left' }));
    await waitInPage(b.user, 'message', () => E2E.count('message') === 1);
    await waitInPage(b.user, 'data', () => E2E.count('data') === 1);
    // (The harness also records Session customEvent under the same type, with a `sender` field.)
    await waitInPage(b.user, 'customEvent', () => E2E.of('customEvent').filter((e) => 'senderId' in e).length === 1 && E2E.count('session:customEvent') === 1);
    const got = await b.user.page.evaluate(() => ({
      message: E2E.of('message')[0],
      data: E2E.of('data')[0],
      custom: E2E.of('customEvent').find((e) => 'senderId' in e),
      session: E2E.of('session:customEvent')[0],
    }));
    expect(got.message).toMatchObject({ senderId: a.id, sender_id: a.id, content: 'hello room', isDate: true, metadata: { lang: 'en' } });
    expect(got.data).toMatchObject({ senderId: a.id, content: { cursor: [1, 2] } });
    expect(got.custom).toMatchObject({ event: 'wave', senderId: a.id, content: { hand: 'left', event: 'wave', roomname: 'chat-1' } });
    expect(got.session).toMatchObject({ event: 'wave', conv: 'chat-1', senderId: a.id });
    // The sender does not receive its own messages.
    expect(await a.user.page.evaluate(() => E2E.count('message') + E2E.count('data') + E2E.count('customEvent'))).toBe(0);
  });

  test('each documented error: publish before join, subscribe unknown stream, leave when not joined, already published, join twice', async () => {
    const a = await convUser(env, 'alice');
    const errors = await a.user.page.evaluate(async () => {
      const conv = E2E.session.getOrCreateConversation('errors-1');
      CONV.conv = conv;
      const stream = await E2E.ua.createStream({ constraints: { audio: true, video: true } });
      const out: Record<string, unknown> = {};
      out.publishBeforeJoin = await conv.publish(stream).then(() => 'resolved', CONV.err);
      out.subscribeBeforeJoin = await conv.subscribeToStream(123).then(() => 'resolved', CONV.err);
      out.leaveNotJoined = await conv.leave().then(() => 'resolved', CONV.err);
      out.messageNotJoined = await conv.sendMessage('x').then(() => 'resolved', CONV.err);
      await conv.join();
      out.joinTwice = await conv.join().then(() => 'resolved', CONV.err);
      out.subscribeUnknown = await conv.subscribeToStream('123').then(() => 'resolved', CONV.err);
      out.publishNothing = await conv.publish(undefined).then(() => 'resolved', CONV.err);
      out.first = await conv.publish(stream).then((s: unknown) => s === stream, CONV.err);
      out.again = await conv.publish(stream).then(() => 'resolved', CONV.err);
      out.emptyMessage = await conv.sendMessage('').then(() => 'resolved', CONV.err);
      await conv.leave();
      out.leaveTwice = await conv.leave().then(() => 'resolved', CONV.err);
      out.streamKept = stream.hasData();
      return out;
    });
    expect(errors).toEqual({
      publishBeforeJoin: { code: 0, message: 'publish() - conversation not joined' },
      subscribeBeforeJoin: { code: 0, message: 'subscribeToMedia() - conversation not joined' },
      leaveNotJoined: { code: 16, message: 'leave() - webconf not joined' },
      messageNotJoined: { code: 16, message: 'sendMessage() - group chat not joined' },
      joinTwice: { code: 0, message: 'join() - cannot join conversation' },
      subscribeUnknown: { code: 0, message: 'subscribeToMedia() - no such stream' },
      publishNothing: { code: 0, message: 'publish() - No stream specified' },
      first: true,
      again: { code: 0, message: 'publish() - Stream is already published in this conversation!' },
      emptyMessage: { code: 9, message: 'sendMessage() - message parameter is empty' },
      leaveTwice: { code: 16, message: 'leave() - webconf not joined' },
      streamKept: true,
    });
  });
});
