import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import negotiate from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseByteRange } from '../../util/byteRange.js';
import { contentTypeOf } from './contentTypes.js';
import { FileVersions } from './FileVersions.js';

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

/** Precompressed variants written by scripts/precompress.mjs next to a file, best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;
type Encoding = (typeof ENCODINGS)[number]['name'];

/** A year: the longest max-age caches honour; content-tagged URLs never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface FileInfo {
  size: number;
  mtimeMs: number;
}

/**
 * Serves files of one build output folder.
 *
 * - Caching: a URL whose `?v=` is the file's content tag (see FileVersions) names that exact
 *   content and is cached for a year (`immutable`); anything else gets `no-cache` and an ETag, so
 *   the browser revalidates and gets 304 while the build is unchanged.
 * - Compression: when the client accepts it, the `.br` or `.gz` file the build wrote next to the
 *   requested one (scripts/precompress.mjs) is sent with `Content-Encoding`; nothing is compressed
 *   per request. A variant older than its source (a package rebuilt alone) is ignored.
 * - Ranges: a single `Range: bytes=` is answered with 206 (or 416), `If-Range` honoured.
 *
 * The folder is checked on every request, so a build made after the server started is picked
 * up; while it is missing the answer is 503 with a hint to run `npm run build`.
 */
export class StaticDirectory {
  readonly root: string | null;
  readonly #options: StaticDirectoryOptions;
  readonly #versions = new FileVersions();

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
    if (file === null) return notFound(reply);
    let found = await fileStat(file);
    let path = file;
    if (!found && this.#options.spaFallback && extname(relativePath) === '') {
      path = join(this.root, 'index.html');
      found = await fileStat(path);
    }
    if (!found) return notFound(reply);

    const variant = await this.#variant(request, path, found);
    const served = variant?.info ?? found;
    const etag = `"${served.size.toString(16)}-${Math.floor(served.mtimeMs).toString(16)}${variant ? '-' + variant.encoding : ''}"`;
    // The answer depends on Accept-Encoding whenever the file has a variant (even if this client got none).
    if (variant !== null || (await this.#hasVariant(path, found))) reply.header('Vary', 'Accept-Encoding');
    reply.header('Cache-Control', (await this.#isTagged(request, path, found)) ? IMMUTABLE : 'no-cache').header('ETag', etag);
    if (this.#options.htmlCsp !== undefined && extname(path).toLowerCase() === '.html') {
      reply.header('Content-Security-Policy', this.#options.htmlCsp);
    }
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();

    reply.type(contentTypeOf(path)).header('Accept-Ranges', 'bytes');
    if (variant) reply.header('Content-Encoding', variant.encoding === 'br' ? 'br' : 'gzip');
    const source = variant ? path + suffixOf(variant.encoding) : path;
    // If-Range: the range only applies to the representation the client already has part of.
    const ifRange = request.headers['if-range'];
    const range = ifRange === undefined || ifRange === etag ? parseByteRange(request.headers.range, served.size) : { kind: 'whole' as const };
    if (range.kind === 'unsatisfiable') return reply.code(416).header('Content-Range', `bytes */${served.size}`).send();
    if (range.kind === 'partial') {
      return reply
        .code(206)
        .header('Content-Range', `bytes ${range.start}-${range.end}/${served.size}`)
        .header('Content-Length', range.end - range.start + 1)
        .send(createReadStream(source, { start: range.start, end: range.end }));
    }
    return reply.header('Content-Length', served.size).send(createReadStream(source));
  }

  /** The precompressed variant to send, if the client accepts one that exists and is current. */
  async #variant(request: FastifyRequest, path: string, source: FileInfo): Promise<{ encoding: Encoding; info: FileInfo } | null> {
    const header = request.headers['accept-encoding'];
    if (typeof header !== 'string' || header === '') return null;
    const available: Encoding[] = [];
    const infos = new Map<Encoding, FileInfo>();
    for (const { name, suffix } of ENCODINGS) {
      const info = await fileStat(path + suffix);
      if (info && info.mtimeMs >= source.mtimeMs) {
        available.push(name);
        infos.set(name, info);
      }
    }
    if (available.length === 0) return null;
    const chosen = negotiate<Encoding>(header, available);
    return chosen === null ? null : { encoding: chosen, info: infos.get(chosen) as FileInfo };
  }

  async #hasVariant(path: string, source: FileInfo): Promise<boolean> {
    for (const { suffix } of ENCODINGS) {
      const info = await fileStat(path + suffix);
      if (info && info.mtimeMs >= source.mtimeMs) return true;
    }
    return false;
  }

  /** Whether the request's `?v=` is the file's current content tag. */
  async #isTagged(request: FastifyRequest, path: string, info: FileInfo): Promise<boolean> {
    const v = (request.query as Record<string, unknown> | undefined)?.v;
    if (typeof v !== 'string' || !/^[0-9a-f]{16}$/.test(v)) return false;
    try {
      return (await this.#versions.tagOf(path, info.size, info.mtimeMs)) === v;
    } catch {
      return false;
    }
  }

  /** Absolute path of `relative` inside the root, or null if it escapes it. */
  #resolve(relative: string): string | null {
    const root = this.root as string;
    if (relative.includes('\0')) return null;
    const target = resolve(root, '.' + sep + relative);
    return target === root || target.startsWith(root + sep) ? target : null;
  }
}

function suffixOf(encoding: Encoding): string {
  return encoding === 'br' ? '.br' : '.gz';
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
}

/** `If-None-Match` holding `etag` (a list, weak comparison as RFC 9110 §13.1.2 asks, or `*`). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function fileStat(path: string): Promise<FileInfo | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}
