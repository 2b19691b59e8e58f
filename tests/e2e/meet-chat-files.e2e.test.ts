import { describe, expect, test } from 'vitest';
import { DEFAULT_WAIT_MS, newUser, useE2E, type User } from './harness/index.js';

const env = useE2E('meet-chat-files');
const WAIT = { timeout: DEFAULT_WAIT_MS };

/** Opens `/?room=<room>`, joins under `name` and opens the chat panel. */
async function joinWithChat(name: string, room: string): Promise<User> {
  const user = await newUser(env.browser, name, { url: `${env.server.url}/?room=${encodeURIComponent(room)}` });
  await user.page.locator('#join-form').waitFor(WAIT);
  await user.page.fill('#name-input', name);
  await user.page.locator('#preview[data-state="live"]').waitFor(WAIT);
  await user.page.click('#join-btn');
  await user.page.locator('#call-view').waitFor({ state: 'visible', ...WAIT });
  await user.page.click('#chat-btn');
  return user;
}

const lines = (user: User): Promise<string[]> => user.page.$$eval('#chat-messages .message p', (ps) => ps.map((p) => p.textContent ?? ''));

describe('meet app: chat history and files', () => {
  test('a late joiner sees the earlier messages; a file sent from the chat arrives as a link that downloads', async () => {
    const ada = await joinWithChat('Ada', 'files-room');
    for (const text of ['first note', 'second note']) {
      await ada.page.fill('#chat-input', text);
      await ada.page.press('#chat-input', 'Enter');
      await ada.page.locator('#chat-messages .message.mine[data-delivery="sent"]', { hasText: text }).waitFor(WAIT);
    }

    const grace = await joinWithChat('Grace', 'files-room');
    await grace.page.locator('#chat-messages .message', { hasText: 'second note' }).waitFor(WAIT);
    expect(await lines(grace)).toEqual(['first note', 'second note']);

    const content = 'agenda: ship it\n';
    await ada.page.setInputFiles('#chat-file', { name: 'agenda.txt', mimeType: 'text/plain', buffer: Buffer.from(content) });
    await ada.page.locator('#chat-messages .message.mine[data-delivery="sent"] a.file', { hasText: 'agenda.txt' }).waitFor(WAIT);
    const link = grace.page.locator('#chat-messages .message.theirs a.file', { hasText: 'agenda.txt' });
    await link.waitFor(WAIT);
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/media\//);
    const [download] = await Promise.all([grace.page.waitForEvent('download', WAIT), link.click()]);
    expect(download.suggestedFilename()).toBe('agenda.txt');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe(content);

    // A third participant joining later sees the messages and the file, in order.
    const linus = await joinWithChat('Linus', 'files-room');
    await linus.page.locator('#chat-messages a.file', { hasText: 'agenda.txt' }).waitFor(WAIT);
    expect(await lines(linus)).toEqual(['first note', 'second note', expect.stringContaining('agenda.txt')]);
    for (const user of [ada, grace, linus]) expect(user.errors()).toEqual([]);
  });
});
