import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_WAIT_MS, newUser, paths, startServer, useE2E, type User } from './harness/index.js';
import { remoteTile, tilePlays } from './harness/meetTiles.js';

const env = useE2E('meet-call');

const WAIT = { timeout: DEFAULT_WAIT_MS };

function shotPath(name: string): string {
  mkdirSync(paths.artifacts, { recursive: true });
  return join(paths.artifacts, `meet-${name}.png`);
}

/** Keeps a page's console next to the screenshots (warnings there point at SDK trouble). */
function keepConsole(user: User, label: string): void {
  mkdirSync(paths.artifacts, { recursive: true });
  writeFileSync(join(paths.artifacts, `meet-${label}.console.log`), user.console.map((e) => `[${e.type}] ${e.text}`).join('\n'));
}

/** Opens `/?room=<room>`, joins under `name` and waits for the call screen. */
async function joinCall(name: string, room: string, viewport?: { width: number; height: number }, serverUrl = env.server.url): Promise<User> {
  const user = await newUser(env.browser, name, { url: `${serverUrl}/?room=${encodeURIComponent(room)}` });
  if (viewport) await user.page.setViewportSize(viewport);
  await user.page.locator('#join-form').waitFor(WAIT);
  await user.page.fill('#name-input', name);
  // Join with the camera running, so the published stream has video.
  await user.page.locator('#preview[data-state="live"]').waitFor(WAIT);
  await user.page.click('#join-btn');
  await user.page.locator('#call-view').waitFor({ state: 'visible', ...WAIT });
  expect(await user.page.textContent('#room-name')).toBe(room);
  return user;
}

/**
 * Starts watching for a notice (they live 4 s) before the action that causes it; the returned
 * function waits for it, so slow checks in between cannot make the test miss it.
 */
function watchToast(page: Page, text: string | RegExp): () => Promise<void> {
  const seen = page
    .locator('.toast', { hasText: text })
    .waitFor(WAIT)
    .then(
      () => null,
      (error: unknown) => ({ error }),
    );
  return async () => {
    const failure = await seen;
    if (failure) throw failure.error;
  };
}

describe('the meeting app (apps/meet): a call between two people', () => {
  test('join, see each other, mute, chat, share the screen and leave', async () => {
    const room = `e2e-call-${Date.now()}`;
    const ada = await joinCall('Ada Lovelace', room);
    // Alone: the local tile shows the own camera.
    await tilePlays(ada, '#stage .tile[data-local="true"][data-kind="camera"]');

    // The join notice lives 4 s: watch for it from before Grace joins, not after the video checks.
    // Arrivals within 1.5 s of one's own join are batched ("Grace Hopper is here"); later ones
    // read "Grace Hopper joined". On a fast machine Grace can land in Ada's batch: either notice
    // tells Ada that Grace arrived.
    const graceJoinedToast = watchToast(ada.page, /Grace Hopper (joined|is here)/);
    const grace = await joinCall('Grace Hopper', room);

    // Each sees the other's video playing, with their name.
    await tilePlays(ada, remoteTile('Grace Hopper'));
    await tilePlays(grace, remoteTile('Ada Lovelace'));
    await graceJoinedToast();
    expect(await ada.page.textContent('#people-badge')).toBe('2');
    // Each tile gets its stats line from callStatsUpdate: a received bit rate and a MOS for Grace's
    // tile on Ada's side, the sent figures on Ada's own tile.
    await ada.page
      .locator(`${remoteTile('Grace Hopper')} .tile-stats`)
      .filter({ hasText: /^[1-9][0-9.]* [kM]b\/s · loss [0-9.]+ % .*MOS [1-4]\.[0-9]$/ })
      .waitFor(WAIT);
    await ada.page
      .locator('#stage .tile[data-local="true"][data-kind="camera"] .tile-stats')
      .filter({ hasText: /MOS [1-4]\.[0-9]$/ })
      .waitFor(WAIT);
    await ada.page.screenshot({ path: shotPath('call-2-1280') });

    // Grace mutes her microphone: Ada sees the muted indicator on Grace's tile and in the list.
    await grace.page.click('#mic-btn');
    await grace.page.locator('#mic-btn[aria-pressed="false"]').waitFor(WAIT);
    await ada.page.locator(`${remoteTile('Grace Hopper')}[data-audio="muted"] .mic-off`).waitFor({ state: 'visible', ...WAIT });
    await ada.page.click('#people-btn');
    await ada.page.locator('#people-list li[data-audio="muted"]', { hasText: 'Grace Hopper' }).waitFor(WAIT);
    await ada.page.click('#people-btn');
    await grace.page.click('#mic-btn');
    await ada.page.locator(`${remoteTile('Grace Hopper')}[data-audio="on"]`).waitFor(WAIT);

    // Grace turns her camera off: Ada sees her avatar instead of the video, then the video again.
    await grace.page.click('#cam-btn');
    await ada.page.locator(`${remoteTile('Grace Hopper')}[data-video="off"] .tile-avatar`).waitFor({ state: 'visible', ...WAIT });
    await grace.page.click('#cam-btn');
    await ada.page.locator(`${remoteTile('Grace Hopper')}[data-video="on"]`).waitFor(WAIT);

    // Chat: Ada writes, Grace gets an unread badge, opens the chat and answers.
    await ada.page.click('#chat-btn');
    await ada.page.fill('#chat-input', 'Hello Grace! Can you see my slides?');
    await ada.page.press('#chat-input', 'Enter');
    await ada.page.locator('.message.mine[data-delivery="sent"]', { hasText: 'Can you see my slides?' }).waitFor(WAIT);
    await grace.page.locator('#chat-badge', { hasText: '1' }).waitFor({ state: 'visible', ...WAIT });
    await grace.page.click('#chat-btn');
    await grace.page.locator('.message.theirs', { hasText: 'Hello Grace! Can you see my slides?' }).waitFor(WAIT);
    expect(await grace.page.isHidden('#chat-badge')).toBe(true);
    await grace.page.fill('#chat-input', 'Not yet, share them!');
    await grace.page.click('#chat-send');
    await ada.page.locator('.message.theirs', { hasText: 'Not yet, share them!' }).waitFor(WAIT);
    await ada.page.screenshot({ path: shotPath('call-chat-1280') });
    await ada.page.click('#chat-close');

    // Grace switches her microphone in the call: the published stream is replaced in place,
    // Ada keeps Grace's tile and video.
    await grace.page.click('#settings-btn');
    const otherMic = await grace.page.locator('#call-mic-select option', { hasText: 'Fake Audio Input 1' }).getAttribute('value');
    await grace.page.selectOption('#call-mic-select', otherMic ?? '');
    await grace.page.waitForFunction(
      (deviceId) => {
        const video = document.querySelector<HTMLVideoElement>('#stage .tile[data-local="true"][data-kind="camera"] video');
        return (video?.srcObject as MediaStream | null)?.getAudioTracks()[0]?.getSettings().deviceId === deviceId;
      },
      otherMic,
      WAIT,
    );
    await tilePlays(grace, '#stage .tile[data-local="true"][data-kind="camera"]');
    await tilePlays(ada, remoteTile('Grace Hopper'));
    expect(grace.console.filter((e) => e.type === 'error')).toEqual([]);
    await grace.page.screenshot({ path: shotPath('call-settings-1280') });
    await grace.page.click('#settings-close');

    // Screen share (fake 1280×720 monitor): Grace sees it in the spotlight.
    await ada.page.click('#share-btn');
    await ada.page.locator('#share-btn[aria-pressed="true"]').waitFor(WAIT);
    await tilePlays(grace, remoteTile('Ada Lovelace', 'screen'));
    await grace.page.locator('#stage[data-layout="spotlight"]').waitFor(WAIT);
    expect(await grace.page.$eval('#stage .tile:first-child', (el) => (el as HTMLElement).dataset.kind)).toBe('screen');
    await grace.page.screenshot({ path: shotPath('call-share-1280') });

    // Phone width.
    await grace.page.setViewportSize({ width: 390, height: 844 });
    await grace.page.screenshot({ path: shotPath('call-share-phone') });
    await ada.page.click('#share-btn');
    await grace.page.locator(remoteTile('Ada Lovelace', 'screen')).waitFor({ state: 'detached', ...WAIT });
    await grace.page.locator('#stage[data-layout="grid"]').waitFor(WAIT);
    await grace.page.screenshot({ path: shotPath('call-2-phone') });

    // Sharing again, then stopping from the browser's own "Stop sharing" UI, which ends the
    // capture track: the SDK's Stream emits `stopped` and the app unpublishes the share.
    await ada.page.click('#share-btn');
    await grace.page.locator(remoteTile('Ada Lovelace', 'screen')).waitFor(WAIT);
    await ada.page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('#stage .tile[data-kind="screen"][data-local="true"] video');
      const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
      if (!track) throw new Error('no local screen track');
      track.stop(); // stop() alone fires no event; the browser UI also fires `ended`
      track.dispatchEvent(new Event('ended'));
    });
    await ada.page.locator('#share-btn[aria-pressed="false"]').waitFor(WAIT);
    await grace.page.locator(remoteTile('Ada Lovelace', 'screen')).waitFor({ state: 'detached', ...WAIT });
    await grace.page.click('#chat-btn');
    await grace.page.screenshot({ path: shotPath('call-chat-phone') });
    await grace.page.click('#chat-close');

    // Grace leaves: her tile goes away on Ada's side, and she is back on the pre-join screen.
    const graceLeftToast = watchToast(ada.page, 'Grace Hopper left');
    await grace.page.click('#leave-btn');
    await grace.page.locator('#prejoin-view').waitFor({ state: 'visible', ...WAIT });
    await ada.page.locator(remoteTile('Grace Hopper')).waitFor({ state: 'detached', ...WAIT });
    await graceLeftToast();
    expect(await ada.page.textContent('#people-badge')).toBe('1');

    keepConsole(ada, 'call-ada');
    keepConsole(grace, 'call-grace');
    for (const user of [ada, grace]) {
      expect(user.console.filter((e) => e.type === 'pageerror')).toEqual([]);
      // The server sends a strict Content-Security-Policy: the app must not trip over it.
      expect(user.console.filter((e) => /Content Security Policy/i.test(e.text))).toEqual([]);
    }
  });
});

describe('the meeting app (apps/meet): joining muted, reconnecting', () => {
  test('camera and microphone turned off before joining show as off for the others; the reconnecting banner comes and goes', async () => {
    const room = `e2e-call-muted-${Date.now()}`;
    const grace = await joinCall('Grace Hopper', room);

    const ada = await newUser(env.browser, 'Ada Lovelace', { url: `${env.server.url}/?room=${room}` });
    await ada.page.fill('#name-input', 'Ada Lovelace');
    await ada.page.locator('#preview[data-state="live"]').waitFor(WAIT);
    await ada.page.click('#pre-mic');
    await ada.page.click('#pre-cam');
    await ada.page.locator('#preview[data-state="camera-off"][data-mic="off"]').waitFor(WAIT);
    await ada.page.click('#join-btn');
    await ada.page.locator('#call-view').waitFor({ state: 'visible', ...WAIT });
    // Her own tile and controls say so.
    await ada.page.locator('#stage .tile[data-local="true"][data-audio="muted"][data-video="off"]').waitFor(WAIT);
    expect(await ada.page.getAttribute('#mic-btn', 'aria-pressed')).toBe('false');
    expect(await ada.page.getAttribute('#cam-btn', 'aria-label')).toBe('Turn on camera');

    // Grace sees Ada's stream announced muted, with her initials instead of video.
    const tile = `${remoteTile('Ada Lovelace')}[data-audio="muted"][data-video="off"]`;
    await grace.page.locator(`${tile} .tile-avatar`).waitFor({ state: 'visible', ...WAIT });
    expect(await grace.page.textContent(`${tile} .tile-avatar .avatar`)).toBe('AL');
    // Ada turns her camera on: the video plays on Grace's side.
    await ada.page.click('#cam-btn');
    await tilePlays(grace, `${remoteTile('Ada Lovelace')}[data-video="on"]`);

    // Ada loses the network: the banner says she is reconnecting, then goes away.
    await ada.context.setOffline(true);
    await ada.page.evaluate(() => Parley.debug.dropConnection());
    await ada.page.locator('#banner', { hasText: 'Reconnecting' }).waitFor({ state: 'visible', ...WAIT });
    expect(await ada.page.getAttribute('#conn-pill', 'data-state')).toBe('reconnecting');
    await ada.page.screenshot({ path: shotPath('call-reconnecting-1280') });
    await ada.context.setOffline(false);
    await ada.page.locator('#banner').waitFor({ state: 'hidden', timeout: 20_000 });
    expect(await ada.page.getAttribute('#conn-pill', 'data-state')).toBe('connected');

    // Still in the call together: a chat message goes through.
    await ada.page.click('#chat-btn');
    await ada.page.fill('#chat-input', 'Back again');
    await ada.page.press('#chat-input', 'Enter');
    await grace.page.locator('#chat-badge', { hasText: '1' }).waitFor({ state: 'visible', ...WAIT });

    keepConsole(ada, 'call-muted-ada');
    keepConsole(grace, 'call-muted-grace');
    for (const user of [ada, grace]) {
      expect(user.console.filter((e) => e.type === 'pageerror')).toEqual([]);
    }
  });
});

describe('the meeting app (apps/meet): offline past the resume window (server PARLEY_RESUME_WINDOW_MS=1500)', () => {
  test('the others see the user leave; back online the user is in the call again and seen again', async () => {
    // Chromium's offline emulation may swallow the socket's close frame: the server then finds the
    // socket dead by its pings, every second here instead of every 30 s.
    const server = await startServer({ name: 'meet-call-expired', resumeWindowMs: 1500, env: { PARLEY_PING_INTERVAL_MS: '1000' } });
    onTestFinished(() => server.stop());
    const room = `e2e-call-expired-${Date.now()}`;
    const ada = await joinCall('Ada Lovelace', room, undefined, server.url);
    const grace = await joinCall('Grace Hopper', room, undefined, server.url);
    await tilePlays(grace, remoteTile('Ada Lovelace'));

    const adaLeftToast = watchToast(grace.page, 'Ada Lovelace left');
    await ada.context.setOffline(true);
    await ada.page.evaluate(() => Parley.debug.dropConnection());
    await ada.page.locator('#banner', { hasText: 'Reconnecting' }).waitFor({ state: 'visible', ...WAIT });
    await grace.page.locator(remoteTile('Ada Lovelace')).waitFor({ state: 'detached', timeout: 20_000 });
    await adaLeftToast();

    await ada.context.setOffline(false);
    await ada.page.locator('#banner').waitFor({ state: 'hidden', timeout: 20_000 });
    await tilePlays(grace, remoteTile('Ada Lovelace'));
    await tilePlays(ada, remoteTile('Grace Hopper'));
    keepConsole(ada, 'call-expired-ada');
    keepConsole(grace, 'call-expired-grace');
  });
});

/** Opens `/?room=<room>&moderated=1`, joins under `name`, waits for the call view (or the waiting screen over it). */
async function joinModerated(name: string, room: string): Promise<User> {
  const user = await newUser(env.browser, name, { url: `${env.server.url}/?room=${encodeURIComponent(room)}&moderated=1` });
  await user.page.locator('#join-form').waitFor(WAIT);
  expect(await user.page.isChecked('#moderated-input')).toBe(true);
  await user.page.fill('#name-input', name);
  await user.page.locator('#preview[data-state="live"]').waitFor(WAIT);
  await user.page.click('#join-btn');
  await user.page.locator('#call-view').waitFor({ state: 'visible', ...WAIT });
  return user;
}

describe('the meeting app (apps/meet): a moderated room', () => {
  test('guests wait for the moderator, who admits one, denies another and removes the admitted one', async () => {
    const room = `e2e-moderated-${Date.now()}`;
    const ada = await joinModerated('Ada Lovelace', room);
    expect(await ada.page.textContent('#room-name')).toBe(room);
    await ada.page.locator('#waiting-screen').waitFor({ state: 'hidden', ...WAIT });

    // Bob waits: the waiting screen, and the moderator's waiting room lists him.
    const waitingToast = watchToast(ada.page, 'Bob Tester is waiting to join');
    const bob = await joinModerated('Bob Tester', room);
    await bob.page.locator('#waiting-screen').waitFor({ state: 'visible', ...WAIT });
    await waitingToast();
    await ada.page.click('#people-btn');
    await ada.page.locator('#waiting-room li', { hasText: 'Bob Tester' }).waitFor(WAIT);
    await bob.page.screenshot({ path: shotPath('moderated-waiting') });
    await ada.page.screenshot({ path: shotPath('moderated-waiting-room') });
    // While waiting, Bob sees nobody.
    expect(await bob.page.locator(remoteTile('Ada Lovelace')).count()).toBe(0);

    // Admitted: Bob's screen goes and the call starts.
    await ada.page.click('#waiting-room li:has-text("Bob Tester") [data-action="admit"]');
    await bob.page.locator('#waiting-screen').waitFor({ state: 'hidden', ...WAIT });
    await tilePlays(bob, remoteTile('Ada Lovelace'));
    await tilePlays(ada, remoteTile('Bob Tester'));

    // Carol is denied: back on the pre-join screen with the reason.
    const carol = await joinModerated('Carol Denied', room);
    await carol.page.locator('#waiting-screen').waitFor({ state: 'visible', ...WAIT });
    await ada.page.click('#waiting-room li:has-text("Carol Denied") [data-action="deny"]');
    await carol.page.locator('#join-error', { hasText: 'the moderator did not let you in' }).waitFor(WAIT);
    expect(await carol.page.isVisible('#call-view')).toBe(false);

    // Bob is removed: he sees why, Ada sees him go.
    await ada.page.click('#people-list li:has-text("Bob Tester") [data-action="remove"]');
    await bob.page.locator('#join-error', { hasText: 'The moderator removed you from the meeting.' }).waitFor(WAIT);
    await ada.page.locator(remoteTile('Bob Tester')).waitFor({ state: 'detached', ...WAIT });
    // A guest has no moderator buttons.
    expect(await bob.page.locator('[data-action="remove"]').count()).toBe(0);
    keepConsole(ada, 'moderated-ada');
  });
});
