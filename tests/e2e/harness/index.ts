export { paths, assertBuilt } from './paths.js';
export { pollUntil, type PollOptions } from './wait.js';
export { startServer, freePort, type RunningServer, type ServerOptions } from './server.js';
export { runCli, createKey, disableKey, mintToken, parseCreatedKey, type CliResult, type CreatedKey } from './cli.js';
export {
  CHROMIUM_ARGS,
  TEST_PAGE_PATH,
  launchBrowser,
  newUser,
  openSdkPage,
  sdkPageHtml,
  esmPageHtml,
  captureOpenUsers,
  closeOpenUsers,
  waitInPage,
  DEFAULT_WAIT_MS,
  type User,
  type ConsoleEntry,
} from './browser.js';
export { startStaticOrigin, crossOriginAppHtml, type StaticOrigin } from './static-origin.js';
export { useE2E, type E2EEnv } from './suite.js';
export { startRedis, type RunningRedis } from './redis.js';
