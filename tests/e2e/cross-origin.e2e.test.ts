import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { crossOriginAppHtml, newUser, startStaticOrigin, useE2E, waitInPage, type StaticOrigin, type User } from './harness/index.js';

const env = useE2E('cross-origin');

let origin: StaticOrigin;

beforeAll(async () => {
  origin = await startStaticOrigin({
    '/app.html': crossOriginAppHtml(env.server.url),
    // apiRTC apps hard-code the vendor's cloudUrl: the SDK must then use the server it came from.
    '/vendor-cloud.html': crossOriginAppHtml(env.server.url, 'https://cloud.apirtc.com'),
  });
});

afterAll(async () => {
  await origin?.stop();
});

/** Opens the third-party page and waits for its own register() to settle. */
async function openApp(name: string, path: string): Promise<{ user: User; id: string }> {
  const user = await newUser(env.browser, name, { url: `${origin.url}${path}` });
  await waitInPage(user, 'register() settled', () => E2E.keep.register !== undefined);
  const outcome = await user.page.evaluate(() => E2E.keep.register as { id?: string; code?: number; message?: string });
  expect(outcome).toEqual({ id: expect.stringMatching(/^\d+$/) });
  return { user, id: outcome.id as string };
}

describe('an app served from another origin', () => {
  test('two pages register with myDemoApiKey and cloudUrl and see each other in "default"', async () => {
    const alice = await openApp('alice', '/app.html');
    const bob = await openApp('bob', '/app.html');
    expect(await alice.user.page.evaluate(() => location.origin)).toBe(origin.url);
    expect(origin.url).not.toBe(env.server.url);

    await waitInPage(alice.user, 'Bob in default', (id) => E2E.joined('default', id), bob.id);
    await waitInPage(bob.user, 'Alice in default', (id) => E2E.joined('default', id), alice.id);

    // And they can talk.
    await alice.user.page.evaluate((to) => E2E.session.getOrCreateContact(to).sendMessage('hi from elsewhere'), bob.id);
    await waitInPage(bob.user, 'message', () => E2E.of('contactMessage').some((e) => e.content === 'hi from elsewhere'));
    expect(alice.user.errors()).toEqual([]);
    expect(bob.user.errors()).toEqual([]);
  });

  test('a vendor cloudUrl (https://cloud.apirtc.com) is replaced by the server the SDK was loaded from', async () => {
    const carol = await openApp('carol', '/vendor-cloud.html');
    const dave = await openApp('dave', '/app.html');
    await waitInPage(dave.user, 'Carol in default', (id) => E2E.joined('default', id), carol.id);
  });
});
