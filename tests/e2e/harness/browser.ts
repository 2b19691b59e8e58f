import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import chromiumArgs from './chromium-args.json' with { type: 'json' };
import { paths } from './paths.js';

/**
 * Debian's Chromium with fake media devices (camera, microphones, and a fake screen for
 * getDisplayMedia: no extra flag needed headless) and no background chatter (architecture brief).
 *
 * Plus one flag: the SDK test pages are answered by the harness (`context.route`), so Chromium
 * knows no IP address for them and its Local Network Access checks (on in Chromium 156) treat
 * them as public pages, blocking their WebSockets to 127.0.0.1 with
 * `net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS`. Pages really served from loopback (the demo
 * app, the cross-origin pages) are not affected either way.
 */
// The list lives in a JSON file so the benchmarks (bench/lib/media-bench.mjs) launch the same browser.
export const CHROMIUM_ARGS: readonly string[] = chromiumArgs;

/**
 * One browser per test file. `extraArgs` are added to the standard flags, e.g.
 * `--use-file-for-fake-audio-capture=<wav>` for a known microphone signal.
 */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** One console message (or uncaught page error, type `pageerror`) seen by a page. */
export interface ConsoleEntry {
  type: string;
  text: string;
}

/** A simulated user: its own browser context (cookies, storage, network state) and one page. */
export interface User {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every console message and page error, in order. */
  readonly console: ConsoleEntry[];
  /** Console errors and uncaught exceptions only. */
  errors(): string[];
  close(): Promise<void>;
}

/** Users still open; the suite closes them after each test and screenshots them on failure. */
const openUsers = new Set<User>();
/** Open users that outlive a test (`persistent`): closed only by `closeOpenUsers({all: true})`. */
const persistentUsers = new Set<User>();

/** Path under the server origin that the harness answers itself (context.route), never the server. */
export const TEST_PAGE_PATH = '/__e2e__/';

/** HTML of the SDK test page: the classic script from the server, a media container. */
export function sdkPageHtml(sdkUrl: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>parley e2e</title>
<script src="${sdkUrl}"></script></head>
<body><div id="media"></div></body></html>`;
}

/** HTML of a page that imports the ESM build and exposes it as `window.__esm = {ns, def}`. */
export function esmPageHtml(mjsUrl: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>parley e2e esm</title></head>
<body><script type="module">
import * as ns from '${mjsUrl}';
import def from '${mjsUrl}';
window.__esm = { ns, def };
</script></body></html>`;
}

/**
 * Opens a new context + page. `url` is navigated to when given. When `routeHtml` is given, every
 * request under `<origin>/__e2e__/` is answered with that HTML by the harness, so a test page can
 * live on the server's own origin without the server knowing about it.
 */
export async function newUser(
  browser: Browser,
  name: string,
  options: { url?: string; routeOrigin?: string; routeHtml?: string; persistent?: boolean } = {},
): Promise<User> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript({ path: paths.pageHelpers });
  if (options.routeOrigin && options.routeHtml !== undefined) {
    const html = options.routeHtml;
    await context.route(`${options.routeOrigin}${TEST_PAGE_PATH}**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
  }
  const page = await context.newPage();
  const entries: ConsoleEntry[] = [];
  page.on('console', (msg) => entries.push({ type: msg.type(), text: msg.text() }));
  page.on('pageerror', (err) => entries.push({ type: 'pageerror', text: `${err.name}: ${err.message}` }));
  let closed = false;
  const user: User = {
    name,
    context,
    page,
    console: entries,
    errors: () => entries.filter((e) => e.type === 'error' || e.type === 'pageerror').map((e) => e.text),
    close: async () => {
      if (closed) return;
      closed = true;
      openUsers.delete(user);
      persistentUsers.delete(user);
      // Leave politely so other tests' users do not see this one linger for the resume window.
      const unregister = page
        .evaluate(() => {
          const ua = (window as { E2E?: E2EPageApi }).E2E?.ua;
          return ua && ua.isRegistered() ? ua.unregister() : undefined;
        })
        .catch(() => undefined);
      await Promise.race([unregister, new Promise((r) => setTimeout(r, 2000))]);
      await context.close().catch(() => undefined);
    },
  };
  openUsers.add(user);
  if (options.persistent) persistentUsers.add(user);
  if (options.url) await page.goto(options.url);
  return user;
}

/**
 * A user whose page is on the server origin and has loaded `/sdk/parley.js` (so the SDK's default
 * server is that origin). `window.apiRTC` and `window.E2E` are ready when this resolves. A
 * `persistent` user survives the end of a test (for a page shared by several tests of a file).
 */
export async function openSdkPage(browser: Browser, serverUrl: string, name: string, options: { persistent?: boolean } = {}): Promise<User> {
  const user = await newUser(browser, name, {
    routeOrigin: serverUrl,
    routeHtml: sdkPageHtml('/sdk/parley.js'),
    persistent: options.persistent ?? false,
  });
  await user.page.goto(`${serverUrl}${TEST_PAGE_PATH}index.html`);
  // The script is synchronous in <head>: once `load` fired, apiRTC exists or the script failed.
  const loaded = await user.page.evaluate(() => typeof (window as { apiRTC?: unknown }).apiRTC === 'object');
  if (!loaded) {
    const status = await fetch(`${serverUrl}/sdk/parley.js`).then(
      (r) => String(r.status),
      (e: unknown) => String(e),
    );
    throw new Error(
      `${name}: window.apiRTC missing after loading ${serverUrl}/sdk/parley.js (GET now answers ${status}); ` + `console: ${JSON.stringify(user.errors())}`,
    );
  }
  return user;
}

function safeName(text: string): string {
  return text.replace(/[^\w.-]+/g, '_').slice(0, 120);
}

/** Screenshot + console log of every open user into tests/e2e/artifacts/ (best effort). */
export async function captureOpenUsers(label: string): Promise<string[]> {
  mkdirSync(paths.artifacts, { recursive: true });
  const written: string[] = [];
  for (const user of openUsers) {
    const base = join(paths.artifacts, `${safeName(label)}--${safeName(user.name)}`);
    try {
      await user.page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5000 });
      written.push(`${base}.png`);
    } catch {
      /* page may be crashed or closed */
    }
    writeFileSync(`${base}.console.log`, user.console.map((e) => `[${e.type}] ${e.text}`).join('\n'));
    written.push(`${base}.console.log`);
  }
  return written;
}

/**
 * The last warnings and errors of every open page, one block per user: printed when a test
 * fails, because CI keeps the test output but not tests/e2e/artifacts/.
 */
export async function openUsersDigest(linesPerUser = 12): Promise<string> {
  const blocks: string[] = [];
  for (const user of openUsers) {
    const lines = user.console.filter((e) => e.type !== 'log' && e.type !== 'info' && e.type !== 'debug').slice(-linesPerUser);
    const connections = await peerConnectionStates(user);
    if (lines.length > 0 || connections !== '') {
      blocks.push(`${user.name}:\n${lines.map((e) => `  [${e.type}] ${e.text}`).join('\n')}${connections}`);
    }
  }
  return blocks.join('\n');
}

/** One line per SDK RTCPeerConnection of the page: states and transceivers (mid, kind, direction). */
async function peerConnectionStates(user: User): Promise<string> {
  if (user.page.isClosed()) return '';
  const states = await user.page
    .evaluate(() => {
      const parley = (window as { Parley?: { debug?: { peerConnections(): RTCPeerConnection[] } } }).Parley;
      return (parley?.debug?.peerConnections() ?? []).map((pc) => {
        const transceivers = pc
          .getTransceivers()
          .map((t) => `${t.mid ?? '-'}:${t.receiver.track.kind}:${t.currentDirection ?? t.direction}`)
          .join(' ');
        return `pc ${pc.connectionState}/ice ${pc.iceConnectionState}/${pc.signalingState} [${transceivers}]`;
      });
    })
    .catch(() => ['(page unavailable)']);
  return states.map((line) => `\n  ${line}`).join('');
}

/** Closes every user still open (persistent ones too with `all`). */
export async function closeOpenUsers(options: { all?: boolean } = {}): Promise<void> {
  const users = [...openUsers].filter((u) => options.all || !persistentUsers.has(u));
  await Promise.all(users.map((u) => u.close()));
}

/**
 * Default bound of {@link waitInPage}. Generous because the suite shares 2 cores with whatever
 * else runs; a condition that holds is seen within 50 ms of becoming true anyway.
 */
export const DEFAULT_WAIT_MS = 15_000;

/**
 * Bounded wait for a condition evaluated in the user's page (polled every 50 ms). The condition may
 * be async: each poll is a page.evaluate, which awaits it (Playwright's waitForFunction does not,
 * and would take the pending Promise for a truthy answer). On timeout the error names the
 * condition and shows the page's last recorded SDK events and console errors.
 */
export async function waitInPage<Arg>(user: User, what: string, condition: (arg: Arg) => unknown, arg?: Arg, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  // Serialised to the page, so the argument's static type does not matter to Playwright.
  const fn = condition as (value: unknown) => unknown;
  const deadline = Date.now() + timeoutMs;
  let lastError = 'condition stayed false';
  for (;;) {
    const left = deadline - Date.now();
    try {
      const held = await Promise.race([
        user.page.evaluate(fn, arg as unknown),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), Math.max(left, 0)).unref()),
      ]);
      if (held) return;
    } catch (error) {
      lastError = (error as Error).message.split('\n')[0] ?? String(error);
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const events = await user.page
    .evaluate(() => JSON.stringify((window as { E2E?: E2EPageApi }).E2E?.events.slice(-15) ?? []))
    .catch(() => '(page unavailable)');
  throw new Error(
    `${user.name}: no "${what}" within ${timeoutMs} ms\n` +
      `last SDK events: ${events}\nconsole errors: ${JSON.stringify(user.errors().slice(-10))}\n` +
      `(${lastError})`,
  );
}
