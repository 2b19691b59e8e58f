import { DEFAULT_WAIT_MS, type User } from './browser.js';

const WAIT = { timeout: DEFAULT_WAIT_MS };

/** CSS selector of the remote tile of `name` in the meeting app (apps/meet). */
export const remoteTile = (name: string, kind: 'camera' | 'screen' = 'camera'): string =>
  `#stage .tile[data-local="false"][data-kind="${kind}"][data-name="${name}"]`;

/** The <video> of the tile matching `selector` shows frames and its playback time advances. */
export async function tilePlays(user: User, selector: string): Promise<void> {
  await user.page.locator(selector).waitFor(WAIT);
  await user.page.waitForFunction(
    (sel) => {
      const video = document.querySelector<HTMLVideoElement>(`${sel} video`);
      return !!video && video.videoWidth > 0 && !video.paused;
    },
    selector,
    WAIT,
  );
  const before = await user.page.$eval(`${selector} video`, (v) => (v as HTMLVideoElement).currentTime);
  await user.page.waitForFunction(
    ({ sel, t }) => (document.querySelector<HTMLVideoElement>(`${sel} video`)?.currentTime ?? 0) > t + 0.2,
    { sel: selector, t: before },
    WAIT,
  );
}
