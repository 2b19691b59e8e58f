import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_WAIT_MS, newUser, paths, useE2E, type User } from './harness/index.js';

const env = useE2E('meet-app');

const WAIT = { timeout: DEFAULT_WAIT_MS };

function shotPath(name: string): string {
  mkdirSync(paths.artifacts, { recursive: true });
  return join(paths.artifacts, `meet-${name}.png`);
}

/** Opens the demo app at `/` and joins the lobby `group` under `name`. */
async function joinLobby(name: string, group: string, viewport?: { width: number; height: number }): Promise<User> {
  const user = await newUser(env.browser, name, { url: `${env.server.url}/?group=${encodeURIComponent(group)}` });
  if (viewport) await user.page.setViewportSize(viewport);
  await user.page.fill('#name-input', name);
  await user.page.click('#join-btn');
  await user.page.locator('#lobby-view').waitFor({ state: 'visible', ...WAIT });
  await expectText(user, '#me-name', name);
  return user;
}

async function expectText(user: User, selector: string, text: string): Promise<void> {
  await user.page.locator(selector, { hasText: text }).first().waitFor({ state: 'visible', ...WAIT });
  expect(await user.page.locator(selector, { hasText: text }).count()).toBeGreaterThan(0);
}

const person = (user: User, name: string) => user.page.locator('#people-list li', { hasText: name });

describe('the demo app (apps/meet) served at /', () => {
  test('two people join the lobby, see each other live, exchange chat messages and see status, camera and connection state', async () => {
    const group = `e2e-lobby-${Date.now()}`;

    const join = await newUser(env.browser, 'join-form', { url: `${env.server.url}/?group=${group}` });
    await join.page.locator('#join-form').waitFor(WAIT);
    expect(await join.page.inputValue('#group-input')).toBe(group);
    await join.page.screenshot({ path: shotPath('join-1280') });
    await join.close();

    const ada = await joinLobby('Ada Lovelace', group);
    const grace = await joinLobby('Grace Hopper', group, { width: 390, height: 844 });

    // Presence, both ways.
    await person(ada, 'Grace Hopper').waitFor(WAIT);
    await person(grace, 'Ada Lovelace').waitFor(WAIT);
    expect(await ada.page.textContent('#people-count')).toBe('1');

    // Ada writes to Grace.
    await person(ada, 'Grace Hopper').locator('button').click();
    await expectText(ada, '#chat-name', 'Grace Hopper');
    await ada.page.fill('#composer-input', 'Hello Grace! Ready for the review?');
    await ada.page.press('#composer-input', 'Enter');
    await ada.page.locator('.message.mine[data-delivery="sent"]', { hasText: 'Ready for the review?' }).waitFor(WAIT);

    // Grace gets an unread badge, opens the thread, reads and answers.
    await person(grace, 'Ada Lovelace').locator('.badge', { hasText: '1' }).waitFor(WAIT);
    await person(grace, 'Ada Lovelace').locator('button').click();
    await expectText(grace, '.message.theirs', 'Hello Grace! Ready for the review?');
    expect(await person(grace, 'Ada Lovelace').locator('.badge').count()).toBe(0);
    await grace.page.fill('#composer-input', 'Yes, joining in a minute.');
    await grace.page.click('#send-btn');
    await expectText(ada, '.message.theirs', 'Yes, joining in a minute.');

    // Grace turns busy: Ada's list follows.
    await grace.page.click('#status-busy');
    expect(await grace.page.getAttribute('#status-busy', 'aria-checked')).toBe('true');
    await ada.page.locator('#people-list li[data-status="busy"]', { hasText: 'Grace Hopper' }).waitFor(WAIT);
    await expectText(ada, '#chat-status', 'Busy');

    // Ada starts her camera preview with the fake devices and mutes her microphone.
    await ada.page.click('#camera-start');
    await ada.page.waitForFunction(() => {
      const video = document.getElementById('preview-video') as HTMLVideoElement;
      return video.videoWidth > 0 && !video.paused;
    }, undefined, WAIT);
    expect(await ada.page.getAttribute('#preview', 'data-state')).toBe('live');
    expect(await ada.page.locator('#camera-select option', { hasText: 'fake_device_0' }).count()).toBe(1);
    expect(await ada.page.locator('#mic-select option').count()).toBeGreaterThanOrEqual(2);
    await ada.page.click('#mic-btn');
    await ada.page.locator('#mic-btn[aria-pressed="false"]').waitFor(WAIT);
    // Switching the microphone restarts the preview on that device, keeping the mute.
    const otherMic = await ada.page.locator('#mic-select option', { hasText: 'Fake Audio Input 1' }).getAttribute('value');
    await ada.page.selectOption('#mic-select', otherMic ?? '');
    await ada.page.waitForFunction(
      (deviceId) => {
        const video = document.getElementById('preview-video') as HTMLVideoElement;
        const stream = video.srcObject as MediaStream | null;
        return stream?.getAudioTracks()[0]?.getSettings().deviceId === deviceId && video.videoWidth > 0;
      },
      otherMic,
      WAIT,
    );
    expect(await ada.page.getAttribute('#mic-btn', 'aria-pressed')).toBe('false');

    await ada.page.screenshot({ path: shotPath('lobby-1280') });
    await grace.page.screenshot({ path: shotPath('lobby-narrow'), fullPage: true });

    // Ada loses the network: the reconnecting banner shows, then goes away once she is back.
    await ada.context.setOffline(true);
    await ada.page.evaluate(() => Parley.debug.dropConnection());
    await ada.page.locator('#banner', { hasText: 'Reconnecting' }).waitFor({ state: 'visible', ...WAIT });
    expect(await ada.page.getAttribute('#conn-pill', 'data-state')).toBe('reconnecting');
    await ada.page.screenshot({ path: shotPath('reconnecting-1280') });
    await ada.context.setOffline(false);
    await ada.page.locator('#banner').waitFor({ state: 'hidden', timeout: 20_000 });
    expect(await ada.page.getAttribute('#conn-pill', 'data-state')).toBe('connected');

    // Grace leaves: Ada still sees their conversation, marked as left.
    await grace.page.click('#leave-btn');
    await grace.page.locator('#join-view').waitFor({ state: 'visible', ...WAIT });
    await ada.page.locator('#people-list li[data-status="offline"]', { hasText: 'Grace Hopper' }).waitFor(WAIT);
    expect(await ada.page.isDisabled('#composer-input')).toBe(true);
    expect(await ada.page.textContent('#people-count')).toBe('0');

    for (const user of [ada, grace]) {
      expect(user.console.filter((e) => e.type === 'pageerror')).toEqual([]);
    }
  });
});
