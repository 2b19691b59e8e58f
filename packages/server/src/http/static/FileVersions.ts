import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

interface Entry {
  size: number;
  mtimeMs: number;
  tag: Promise<string>;
}

/** Files whose tag is remembered at most; beyond it the oldest entry goes. */
const MAX_ENTRIES = 2048;

/**
 * Content tags of static files: the first 16 hex digits of the SHA-256 of the file, the value
 * build scripts put in `?v=` (apps/meet/build.mjs). A URL whose `v` matches the file's tag names
 * that exact content, so it may be cached for ever. Tags are remembered per path until the
 * file's size or modification time changes (a rebuild).
 */
export class FileVersions {
  readonly #entries = new Map<string, Entry>();

  /** The tag of `path` as it is now (`size`/`mtimeMs` from a fresh stat). */
  tagOf(path: string, size: number, mtimeMs: number): Promise<string> {
    const known = this.#entries.get(path);
    if (known && known.size === size && known.mtimeMs === mtimeMs) return known.tag;
    const tag = hashFile(path);
    // A read that failed is not remembered: the next request tries again.
    tag.catch(() => this.#entries.delete(path));
    this.#entries.delete(path);
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(path, { size, mtimeMs, tag });
    return tag;
  }
}

/** The tag algorithm (shared with the build scripts, which compute it on the file's bytes). */
export function contentTag(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex').slice(0, 16)));
  });
}
