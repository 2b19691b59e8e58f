import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { newUser, paths, useE2E, waitInPage, type User } from '../harness/index.js';
import { serveDir } from './serveDir.js';

/**
 * apps/react-example: React with apiRTC's own hooks (@apirtc/react-lib, from npm) whose
 * `@apirtc/apirtc` is Parley's SDK package. Two pages join the same room; each must decode the
 * other's camera (Chromium's fake capture device).
 */
const env = useE2E('react-example');
const dist = join(paths.repoRoot, 'apps/react-example/dist');

async function openApp(name: string, room: string): Promise<User> {
  const user = await newUser(env.browser, name);
  const base = await serveDir(user.context, env.server.url, 'react', dist);
  await user.page.goto(`${base}index.html?room=${encodeURIComponent(room)}`);
  return user;
}

/** A remote <video> of the page shows frames and its time advances. */
async function remoteVideoPlays(user: User): Promise<void> {
  await waitInPage(user, 'a remote video with frames', () => {
    const video = document.querySelector<HTMLVideoElement>('#remote video');
    return !!video && video.videoWidth > 0 && video.currentTime > 0;
  });
  const before = await user.page.$eval('#remote video', (v) => (v as HTMLVideoElement).currentTime);
  await waitInPage(user, 'remote video time advancing', (t) => (document.querySelector<HTMLVideoElement>('#remote video')?.currentTime ?? 0) > t + 0.2, before);
}

describe('React example (@apirtc/react-lib hooks on Parley)', () => {
  test('two React pages join one conversation and each decodes the other one’s video', async () => {
    expect(existsSync(join(dist, 'app.js')), 'apps/react-example is built by npm run build').toBe(true);
    const room = `react-${Date.now()}`;
    const ada = await openApp('ada', room);
    const bob = await openApp('bob', room);
    for (const user of [ada, bob]) {
      await waitInPage(user, 'joined state', () => document.querySelector('#app')?.getAttribute('data-state') === 'joined');
      await waitInPage(user, 'own camera published', () => document.querySelector('#local')?.getAttribute('data-count') === '1');
    }
    const adaId = (await ada.page.getAttribute('#app', 'data-user-id')) ?? '';
    const bobId = (await bob.page.getAttribute('#app', 'data-user-id')) ?? '';
    expect(adaId).toMatch(/\S/);
    expect(bobId).not.toBe(adaId);
    // useConversationContacts: each sees the other by id.
    await waitInPage(ada, 'bob in the contact list', (id) => document.querySelector('#contacts')?.textContent?.includes(id) ?? false, bobId);
    await waitInPage(bob, 'ada in the contact list', (id) => document.querySelector('#contacts')?.textContent?.includes(id) ?? false, adaId);
    await remoteVideoPlays(ada);
    await remoteVideoPlays(bob);
    expect(await ada.page.getAttribute('#remote', 'data-count')).toBe('1');
    expect(ada.errors()).toEqual([]);
    expect(bob.errors()).toEqual([]);
  });
});
