// Shared pieces of the benchmarks: the built Parley server as a child (every benchmark that
// runs it) and, for the media ones (ttff, sfu-fanout), the realistic fake-camera source (y4m
// made by ffmpeg) and Debian's Chromium through playwright-core with the e2e harness's flags.
/* global apiRTC, B, Parley -- Page globals: the SDK bundle and the harness scripts loaded before these functions run. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnNode, waitForHttp } from './children.mjs';
import { repoRoot } from './machine.mjs';

/** The e2e harness's Chromium flags (tests/e2e/harness/browser.ts explains them). */
export const CHROMIUM_ARGS = JSON.parse(readFileSync(join(repoRoot, 'tests/e2e/harness/chromium-args.json'), 'utf8'));
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The noisy 640×480 30 fps source of the benchmark issue (≈ 1.7 Mbps VP8 in Chromium), made once
 * per machine in the temp directory (138 MB) and reused.
 */
export function ensureY4m() {
  const dir = join(tmpdir(), 'parley-bench-media');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'src-640x480-30-noise12.y4m');
  if (existsSync(file) && statSync(file).size > 100e6) return file;
  execFileSync(
    'ffmpeg',
    ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=30,noise=alls=12:allf=t', '-t', '10', '-pix_fmt', 'yuv420p', file],
    {
      stdio: 'inherit',
    },
  );
  return file;
}

/** Launches Chromium (playwright-core from the workspace) with the fake camera fed by `y4m`. */
export async function launchChromium({ y4m } = {}) {
  const { chromium } = await import('playwright-core');
  const args = [...CHROMIUM_ARGS];
  if (y4m) args.push(`--use-file-for-fake-video-capture=${y4m}`);
  return chromium.launch({ executablePath: CHROMIUM, args });
}

export function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** First non-internal IPv4 address (the media path: Chromium gathers no loopback candidates). */
export function hostAddress() {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

/**
 * Starts the built Parley server on a free port with a fresh data dir and the default
 * configuration: cwd = the temp data dir (no parley.config.json), no inherited PARLEY_* variables
 * or NODE_OPTIONS; `env` adds variables, `nodeArgs` go before the script (e.g. --cpu-prof).
 */
export async function startParley({ tmp, tag, env = {}, nodeArgs = [] }) {
  const main = join(repoRoot, 'packages/server/dist/main.js');
  if (!existsSync(main)) throw new Error('packages/server/dist/main.js is missing: build the server (npm run build)');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmp, `data-${tag}-`));
  const inherited = Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => k.startsWith('PARLEY_'))
      .map((k) => [k, undefined]),
  );
  const child = spawnNode([...nodeArgs, main], {
    cwd: dataDir,
    env: {
      ...inherited,
      NODE_OPTIONS: undefined,
      PORT: String(port),
      HOST: '127.0.0.1',
      PARLEY_DATA_DIR: dataDir,
      PARLEY_DEMO_KEY: 'on',
      LOG_LEVEL: 'warn',
      ...env,
    },
    logFile: join(tmp, `parley-${tag}.log`),
  });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, { child });
  let wsPath = '/ws';
  let version = 'unknown';
  try {
    const lookup = await (await fetch(`http://127.0.0.1:${port}/api/v1/lookup`)).json();
    wsPath = lookup.wsPath ?? wsPath;
    version = lookup.serverVersion ?? version;
  } catch {
    /* keep defaults */
  }
  return { child, pid: child.pid, port, origin: `http://127.0.0.1:${port}`, url: `ws://127.0.0.1:${port}${wsPath}`, version };
}

/** A page on the Parley origin that loaded /sdk/parley.js (the route is answered by playwright). */
export async function openSdkPage(browser, origin) {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  await context.route(`${origin}/__bench__/**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html><head><meta charset="utf-8"><script src="/sdk/parley.js"></script></head><body><div id="media"></div></body></html>`,
    }),
  );
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${origin}/__bench__/index.html`);
  const ok = await page.evaluate(() => typeof window.apiRTC === 'object');
  if (!ok) throw new Error(`window.apiRTC missing after loading ${origin}/sdk/parley.js: ${errors.join('; ')}`);
  return { context, page, errors };
}

/** In-page: registers with the demo key and returns the session id. Stored as window.B. */
export const PAGE_REGISTER = async () => {
  const ua = new apiRTC.UserAgent({ uri: 'apiKey:myDemoApiKey' });
  const session = await ua.register({});
  window.B = { ua, session };
  return session.getId();
};

/** In-page: joins `room`, publishes the camera (640×480) + microphone. */
export const PAGE_PUBLISH = async (room) => {
  const conv = B.session.getOrCreateConversation(room, {});
  await conv.join();
  const stream = await B.ua.createStream({ constraints: { audio: true, video: { width: 640, height: 480, frameRate: 30 } } });
  await conv.publish(stream);
  B.pub = { conv, stream };
  return stream.streamId;
};

/** In-page: outbound video of the publisher (bytes, packets, frames, codec). */
export const PAGE_OUTBOUND = async () => {
  let out = { bytes: 0, packets: 0, frames: 0, width: 0, height: 0, at: performance.now() };
  for (const pc of Parley.debug.peerConnections()) {
    const stats = await pc.getStats();
    stats.forEach((r) => {
      if (r.type === 'outbound-rtp' && r.kind === 'video') {
        out.bytes += r.bytesSent || 0;
        out.packets += r.packetsSent || 0;
        out.frames += r.framesEncoded || 0;
        out.width = r.frameWidth || out.width;
        out.height = r.frameHeight || out.height;
      }
    });
  }
  return out;
};
