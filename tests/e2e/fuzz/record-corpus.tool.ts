import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { useE2E, waitInPage, type User } from '../harness/index.js';
import { join, subscribe, waitDecoding, waitRemoteStream } from '../conversation/helpers.js';
import { CORPUS_FILE, type Corpus, type RecordedFrame } from './corpus.js';

/*
 * Records the fuzz corpus (corpus.json): the frames two real SDK users in Chromium send through a
 * session touching every feature (register, presence, contact messages, a conversation with
 * publish/subscribe/relays/chat/data/custom events, leave, unregister). The frames are taken
 * from the pages by ws-tap.js, a WebSocket.prototype.send wrapper loaded before the SDK.
 *
 * Not part of the normal run (the corpus is a committed fixture, so the fuzz test is
 * reproducible): `npx vitest run --project tools tests/e2e/fuzz/record-corpus.tool.ts`
 */
const TAP = fileURLToPath(new URL('./ws-tap.js', import.meta.url));
const CONV_PAGE = readFileSync(fileURLToPath(new URL('../conversation/conv-page.js', import.meta.url)), 'utf8');

const env = useE2E('fuzz-record-corpus');

test('record the frames of a full SDK session', async () => {
  const alice = await tappedUser('alice');
  const bob = await tappedUser('bob');

  // Presence and user data.
  await alice.user.page.evaluate(() => {
    E2E.session.joinGroup('fuzz-team');
    E2E.session.subscribeToGroup('fuzz-watchers');
    E2E.session.setUsername('Alice Fuzz');
    E2E.ua.getUserData().setProp('status', 'busy').setToSession();
  });
  await bob.user.page.evaluate(() => E2E.session.joinGroup('fuzz-team'));
  await waitInPage(alice.user, 'bob in fuzz-team', (id: string) => E2E.joined('fuzz-team', id), bob.id);

  // Contact messages, data, custom events.
  await alice.user.page.evaluate(async (id: string) => {
    const c = E2E.session.getOrCreateContact(id);
    await c.sendMessage('hello bob');
    await c.sendData({ kind: 'ping', n: 1 });
    await c.sendCustomEvent('wave', { hand: 'left' });
  }, bob.id);
  await waitInPage(bob.user, 'custom event from alice', () => E2E.count('customEvent') === 1);

  // Conversation: join, publish with a context, subscribe, decode, chat, relays, leave.
  expect(await join(alice.user, 'fuzz-room')).toEqual({});
  expect(await join(bob.user, 'fuzz-room')).toEqual({});
  const pub = await alice.user.page.evaluate(() => CONV.publishCamera('camera', { context: { role: 'speaker', seat: 3 } }));
  const streamId = await waitRemoteStream(bob.user);
  expect(streamId).toBe(pub.streamId);
  await subscribe(bob.user, streamId);
  await waitDecoding(bob.user, 'bob decodes alice');
  await alice.user.page.evaluate(async () => {
    await CONV.conv.sendMessage('hello room', { metadata: { lang: 'en' } });
    await CONV.conv.sendData({ cursor: { x: 1, y: 2 } });
    await CONV.conv.sendCustomEvent('raise-hand', { up: true });
  });
  await waitInPage(bob.user, 'room custom event', () => E2E.of('customEvent').some((e) => e.event === 'raise-hand'));
  expect(
    await bob.user.page.evaluate(async (i: number) => {
      const s = CONV.remote[i];
      await s.applyConstraints({ video: { frameRate: 10 } });
      await s.getSettings();
      await s.disableAudio(true);
      return 'ok';
    }, streamId),
  ).toBe('ok');
  await alice.user.page.evaluate(() => CONV.local.camera.disableVideo());
  await alice.user.page.evaluate(() => CONV.local.camera.enableVideo());
  await bob.user.page.evaluate((i: number) => CONV.conv.unsubscribeToStream(i), streamId);
  await alice.user.page.evaluate(() => CONV.conv.unpublish(CONV.local.camera));
  await waitInPage(bob.user, 'stream removed', () => E2E.count('streamRemoved') >= 1);
  await bob.user.page.evaluate(() => CONV.conv.leave());
  await alice.user.page.evaluate(() => CONV.conv.leave());
  await alice.user.page.evaluate(() => E2E.session.leaveGroup('fuzz-team'));
  await alice.user.page.evaluate(() => E2E.session.unsubscribeToGroup('fuzz-watchers'));
  // Let the last requests be answered before the pages go.
  for (const u of [alice, bob]) {
    await u.user.page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  }

  const frames: RecordedFrame[] = [];
  for (const u of [alice, bob]) {
    const sent = await u.user.page.evaluate(() => (window as unknown as { __wsFrames: unknown[] }).__wsFrames);
    for (const frame of sent) frames.push({ user: u.user.name, frame });
  }
  const types = new Set(frames.map((f) => (f.frame as { type?: string }).type));
  for (const t of [
    'register',
    'group.join',
    'contact.send',
    'conv.join',
    'conv.publish',
    'media.publisherOffer',
    'conv.subscribe',
    'media.subscriberAnswer',
    'conv.message',
    'conv.data',
    'conv.customEvent',
    'conv.relay',
    'conv.relayAnswer',
    'conv.leave',
  ]) {
    expect(types, `recorded a ${t}`).toContain(t);
  }
  const corpus: Corpus = {
    recordedAt: new Date().toISOString(),
    commit: execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim(),
    users: { alice: alice.id, bob: bob.id },
    frames,
  };
  writeFileSync(CORPUS_FILE, JSON.stringify(corpus, null, 1) + '\n');
}, 120_000);

/** A registered user with the CONV helper whose page loaded ws-tap.js before the SDK. */
async function tappedUser(name: string): Promise<{ user: User; id: string }> {
  const user = await env.user(name);
  await user.context.addInitScript({ path: TAP });
  await user.page.reload(); // init scripts run on the next load: the tap now precedes the SDK
  await user.page.evaluate(CONV_PAGE);
  const id = await user.page.evaluate(() => E2E.register());
  return { user, id };
}
