import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage } from '../harness/index.js';
import { convUser, join } from './helpers.js';

const env = useE2E('group-chat');

describe('conversation group chat without media', () => {
  test('A joins with media, B only joinGroupChat: messages both ways, no streams for B, history, leave', async () => {
    const a = await convUser(env, 'alice');
    await join(a.user, 'group-chat-1');
    await a.user.page.evaluate(() => CONV.publishCamera());

    const b = await convUser(env, 'bob');
    const joined = await b.user.page.evaluate(async () => {
      const conv = E2E.session.getOrCreateConversation('group-chat-1');
      CONV.conv = conv;
      conv.on('message', (m: { sender_id: string; content: string }) => E2E.record('message', { sender_id: m.sender_id, content: m.content }));
      for (const ev of ['streamListChanged', 'streamAdded']) conv.on(ev, () => E2E.record(ev, {}));
      const before = conv.isGroupChatJoined();
      await conv.joinGroupChat();
      const again = await conv.joinGroupChat().then(() => 'resolved', CONV.err);
      return { before, after: conv.isGroupChatJoined(), isJoined: conv.isJoined(), again };
    });
    expect(joined).toEqual({ before: false, after: true, isJoined: false, again: { code: 16, message: expect.stringContaining('joinGroupChat()') } });

    await a.user.page.evaluate(() => CONV.conv.sendMessage('hello chat member'));
    await waitInPage(b.user, 'B gets A message', () => E2E.of('message').some((m) => m.content === 'hello chat member'));
    const uuid = await b.user.page.evaluate(() => CONV.conv.sendMessage('hello participant') as Promise<number>);
    expect(uuid).toBeGreaterThan(0);
    await waitInPage(a.user, 'A gets B message', (id: string) => E2E.of('message').some((m) => m.content === 'hello participant' && m.sender_id === id), b.id);

    const state = await b.user.page.evaluate(async () => ({
      streams: CONV.conv.getAvailableStreamList().length,
      events: E2E.of('streamListChanged').length + E2E.of('streamAdded').length,
      history: (await CONV.conv.fetchMessageHistory(E2E.session)).map((m: { content: string }) => m.content),
    }));
    expect(state).toEqual({ streams: 0, events: 0, history: ['hello chat member', 'hello participant'] });

    const left = await b.user.page.evaluate(async () => {
      await CONV.conv.leaveGroupChat();
      return {
        flag: CONV.conv.isGroupChatJoined(),
        again: await CONV.conv.leaveGroupChat().then(() => 'resolved', CONV.err),
        send: await CONV.conv.sendMessage('gone').then(() => 'resolved', CONV.err),
        history: await CONV.conv.fetchMessageHistory(E2E.session).then(() => 'resolved', CONV.err),
      };
    });
    expect(left).toEqual({
      flag: false,
      again: { code: 16, message: 'leaveGroupChat() - group chat not joined' },
      send: { code: 16, message: 'sendMessage() - group chat not joined' },
      history: { code: 4, message: expect.stringContaining('fetchMessageHistory()') },
    });
  });
});
