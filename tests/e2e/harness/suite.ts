import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { captureOpenUsers, closeOpenUsers, launchBrowser, openSdkPage, openUsersDigest, type User } from './browser.js';
import { startServer, type RunningServer, type ServerOptions } from './server.js';

/** What a test file gets from {@link useE2E}. */
export interface E2EEnv {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** A new user (own browser context) on a page of the server origin with the SDK loaded. */
  user(name: string): Promise<User>;
  /**
   * The same, but kept open across the tests of the file (created on first call, recreated if it
   * was closed): for cheap checks that each need a fresh UserAgent, not a fresh page.
   */
  sharedUser(name: string): Promise<User>;
}

/** What a failed test leaves in the output: the pages' warnings and the server's last log lines. */
async function failureDigest(test: string, server: RunningServer | undefined): Promise<string> {
  const tail = server?.logTail().slice(-25).join('\n') ?? '(no server)';
  const pages = (await openUsersDigest()) || '(none)';
  return `e2e failure digest for "${test}"\n-- page warnings, errors and peer connections --\n${pages}\n-- server log tail --\n${tail}`;
}

/**
 * Standard life cycle of an e2e test file: one server (built, spawned) and one Chromium for the
 * file; users created by a test are closed after it; on failure every open page is screenshotted
 * (with its console log) into tests/e2e/artifacts/ first. The server and browser are stopped even
 * when a test or hook fails. `browserOptions.extraArgs`: Chromium flags added for this file.
 */
export function useE2E(name: string, serverOptions: ServerOptions = {}, browserOptions: { extraArgs?: readonly string[] } = {}): E2EEnv {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const shared = new Map<string, User>();

  beforeAll(async () => {
    server = await startServer({ name, ...serverOptions });
    browser = await launchBrowser(browserOptions.extraArgs);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      await captureOpenUsers(`${name}--${ctx.task.name}`);
      console.error(await failureDigest(ctx.task.name, server));
    }
    await closeOpenUsers();
  });

  afterAll(async () => {
    await closeOpenUsers({ all: true });
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`e2e: ${what} not started (beforeAll failed?)`);
    return value;
  };

  return {
    get server() {
      return need(server, 'server');
    },
    get browser() {
      return need(browser, 'browser');
    },
    user(userName: string) {
      return openSdkPage(need(browser, 'browser'), need(server, 'server').url, userName);
    },
    async sharedUser(userName: string) {
      let user = shared.get(userName);
      if (!user || user.page.isClosed()) {
        user = await openSdkPage(need(browser, 'browser'), need(server, 'server').url, userName, { persistent: true });
        shared.set(userName, user);
      }
      return user;
    },
  };
}
