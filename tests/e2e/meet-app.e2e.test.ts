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

/** Waits until the pre-join preview <video> plays the fake camera. */
async function previewPlays(user: User): Promise<void> {
  await user.page.waitForFunction(
    () => {
      const video = document.getElementById('preview-video') as HTMLVideoElement;
      return video.videoWidth > 0 && !video.paused && document.getElementById('preview')?.dataset.state === 'live';
    },
    undefined,
    WAIT,
  );
}

describe('the meeting app (apps/meet) served at /: pre-join screen', () => {
  test('room from ?room=, friendly random room otherwise, live camera preview with device selection and mic/camera toggles', async () => {
    const room = `e2e-prejoin-${Date.now()}`;
    const ada = await newUser(env.browser, 'Ada', { url: `${env.server.url}/?room=${room}` });
    await ada.page.locator('#join-form').waitFor(WAIT);
    expect(await ada.page.inputValue('#room-input')).toBe(room);
    expect(await ada.page.inputValue('#name-input')).toBe('');

    // The camera starts by itself (fake devices, permission granted by the browser flags).
    await previewPlays(ada);
    expect(await ada.page.locator('#camera-select option', { hasText: 'fake_device_0' }).count()).toBe(1);
    expect(await ada.page.locator('#mic-select option').count()).toBeGreaterThanOrEqual(2);
    await ada.page.fill('#name-input', 'Ada Lovelace');
    expect(await ada.page.textContent('#preview-avatar')).toBe('AL');
    await ada.page.screenshot({ path: shotPath('prejoin-1280') });

    // Mic off, then another microphone: the new stream keeps the mic off.
    await ada.page.click('#pre-mic');
    await ada.page.locator('#pre-mic[aria-pressed="false"][aria-label="Turn on microphone"]').waitFor(WAIT);
    const otherMic = await ada.page.locator('#mic-select option', { hasText: 'Fake Audio Input 1' }).getAttribute('value');
    await ada.page.selectOption('#mic-select', otherMic ?? '');
    await ada.page.waitForFunction(
      (deviceId) => {
        const video = document.getElementById('preview-video') as HTMLVideoElement;
        const track = (video.srcObject as MediaStream | null)?.getAudioTracks()[0];
        return track?.getSettings().deviceId === deviceId && track.enabled === false && video.videoWidth > 0;
      },
      otherMic,
      WAIT,
    );
    expect(await ada.page.getAttribute('#pre-mic', 'aria-pressed')).toBe('false');
    await ada.page.click('#pre-mic');
    await ada.page.locator('#pre-mic[aria-pressed="true"]').waitFor(WAIT);

    // Camera off: the avatar replaces the video; keyboard V turns it back on.
    await ada.page.click('#pre-cam');
    await ada.page.locator('#preview[data-state="camera-off"]').waitFor(WAIT);
    expect(await ada.page.isVisible('#preview-avatar')).toBe(true);
    await ada.page.screenshot({ path: shotPath('prejoin-camera-off-1280') });
    await ada.page.locator('#join-btn').focus();
    await ada.page.keyboard.press('v');
    await previewPlays(ada);

    // No ?room=: a friendly random name is proposed.
    const phone = await newUser(env.browser, 'Phone', { url: `${env.server.url}/` });
    await phone.page.setViewportSize({ width: 390, height: 844 });
    await phone.page.locator('#join-form').waitFor(WAIT);
    expect(await phone.page.inputValue('#room-input')).toMatch(/^[a-z]+-[a-z]+-\d\d$/);
    await previewPlays(phone);
    await phone.page.screenshot({ path: shotPath('prejoin-phone') });
    // Buttons are labelled for assistive technology.
    for (const id of ['#pre-mic', '#pre-cam']) expect(await phone.page.getAttribute(id, 'aria-label')).toMatch(/^Turn (on|off) /);

    for (const user of [ada, phone]) {
      expect(user.console.filter((e) => e.type === 'pageerror')).toEqual([]);
    }
  });

  test('an empty name is refused; the name is remembered for the next visit', async () => {
    const room = `e2e-name-${Date.now()}`;
    const user = await newUser(env.browser, 'Remember', { url: `${env.server.url}/?room=${room}` });
    await user.page.locator('#join-form').waitFor(WAIT);
    await user.page.fill('#name-input', '   ');
    await user.page.click('#join-btn');
    await user.page.locator('#join-error', { hasText: 'Please enter your name' }).waitFor(WAIT);
    await user.page.fill('#name-input', 'Grace Hopper');
    await user.page.click('#join-btn');
    // The name is stored as soon as the user tries to join, whatever the outcome of the join.
    await user.page.waitForFunction(() => localStorage.getItem('parley-meet:name') === 'Grace Hopper', undefined, WAIT);
    await user.page.goto(`${env.server.url}/?room=${room}`);
    await user.page.locator('#join-form').waitFor(WAIT);
    expect(await user.page.inputValue('#name-input')).toBe('Grace Hopper');
    // Loaded twice (the second time revalidated, 304): the page's CSP must hold both times.
    expect(user.console.filter((e) => /Content Security Policy/i.test(e.text))).toEqual([]);
  });
});
