import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { TEST_PAGE_PATH } from '../harness/index.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/**
 * Answers requests under `<origin>/__e2e__/<prefix>/` in `context` with the files of `dir`, so an
 * app built by a test is served from the Parley server's own origin (its default server) without
 * the server knowing about it. Returns the URL of the folder.
 */
export async function serveDir(context: BrowserContext, origin: string, prefix: string, dir: string): Promise<string> {
  const base = `${origin}${TEST_PAGE_PATH}${prefix}/`;
  await context.route(`${base}**`, async (route) => {
    const path = new URL(route.request().url()).pathname.slice(`${TEST_PAGE_PATH}${prefix}/`.length) || 'index.html';
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir)) return route.fulfill({ status: 403, body: 'outside the folder' });
    try {
      const body = await readFile(file);
      return await route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body });
    } catch {
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
  return base;
}
