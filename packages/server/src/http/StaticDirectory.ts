import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.tflite': 'application/octet-stream',
};

/** Options of {@link StaticDirectory}. */
export interface StaticDirectoryOptions {
  /** What the folder holds, for the 503 message ("SDK bundle", "demo app"). */
  what: string;
  /** Send `Access-Control-Allow-Origin: *` (scripts loaded from other origins). */
  cors?: boolean;
  /** Serve `index.html` for unknown extension-less paths (single-page app routes). */
  spaFallback?: boolean;
  /**
   * Content-Security-Policy of the HTML pages. Set here, by file, rather than from the
   * response's type: a 304 has no type, and its headers replace the cached page's.
   */
  htmlCsp?: string;
}

/**
 * Serves files of one build output folder with `Cache-Control: no-cache` and an ETag (the
 * browser revalidates and gets 304 while the build is unchanged). The folder is checked on
 * every request, so a build made after the server started is picked up; while it is missing
 * the answer is 503 with a hint to run `npm run build`.
 */
export class StaticDirectory {
  readonly root: string | null;
  readonly #options: StaticDirectoryOptions;

  /** @param root absolute folder, or null when it could not be located */
  constructor(root: string | null, options: StaticDirectoryOptions) {
    this.root = root === null ? null : resolve(root);
    this.#options = options;
  }

  /** Serves `relativePath` (decoded URL path inside the folder). */
  async serve(request: FastifyRequest, reply: FastifyReply, relativePath: string): Promise<FastifyReply> {
    if (this.#options.cors) reply.header('Access-Control-Allow-Origin', '*');
    if (this.root === null || !(await isDirectory(this.root))) {
      const where = this.root ?? '(package not found)';
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`Parley ${this.#options.what} is not built (looked in ${where}). Run \`npm run build\` and reload.\n`);
    }
    const file = this.#resolve(relativePath === '' ? 'index.html' : relativePath);
    if (file === null) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    let found = await fileStat(file);
    let path = file;
    if (!found && this.#options.spaFallback && extname(relativePath) === '') {
      path = join(this.root, 'index.html');
      found = await fileStat(path);
    }
    if (!found) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    const etag = `"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`;
    reply.header('Cache-Control', 'no-cache').header('ETag', etag);
    if (this.#options.htmlCsp !== undefined && extname(path).toLowerCase() === '.html') {
      reply.header('Content-Security-Policy', this.#options.htmlCsp);
    }
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply
      .type(CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream')
      .header('Content-Length', found.size)
      .send(createReadStream(path));
  }

  /** Absolute path of `relative` inside the root, or null if it escapes it. */
  #resolve(relative: string): string | null {
    const root = this.root as string;
    if (relative.includes('\0')) return null;
    const target = resolve(root, '.' + sep + relative);
    return target === root || target.startsWith(root + sep) ? target : null;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function fileStat(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}
