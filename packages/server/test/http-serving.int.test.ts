/**
 * Static serving (issue 15 part 4): precompressed variants chosen by Accept-Encoding, caching by
 * content tag, and range requests, on files compressed by the real build step
 * (scripts/precompress.mjs).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/testServer.js';

const precompress = join(import.meta.dirname, '../../../scripts/precompress.mjs');

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with exactly these headers (fetch would add Accept-Encoding and decompress by itself). */
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files: compression, caching, ranges', () => {
  let server: TestServer;
  let sdkDir: string;
  let script: string;

  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), 'parley-serving-'));
    sdkDir = join(root, 'sdk');
    await mkdir(join(sdkDir, 'processors'), { recursive: true });
    script = Array.from({ length: 400 }, (_, i) => `window.apiRTC_${i} = function () { return ${i} * 2; };`).join('\n');
    await writeFile(join(sdkDir, 'parley.js'), script);
    await writeFile(join(sdkDir, 'processors', 'model.wasm'), Buffer.alloc(64 * 1024, 7));
    await writeFile(join(sdkDir, 'tiny.js'), 'x');
    execFileSync(process.execPath, [precompress, sdkDir]);
    server = await startTestServer({ sdkDir });
  });
  afterAll(() => server.stop());

  it('sends the brotli or gzip file the build wrote, as the client prefers, with Vary', async () => {
    const url = `${server.url}/sdk/parley.js`;
    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.body.length).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(br.body).toString()).toBe(script);

    const gzip = await get(url, { 'accept-encoding': 'br;q=0, gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(script);

    const plain = await get(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.body.toString()).toBe(script);
    // Each representation has its own ETag.
    expect(new Set([br.headers.etag, gzip.headers.etag, plain.headers.etag]).size).toBe(3);
    const revalidated = await get(url, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag as string });
    expect(revalidated.status).toBe(304);

    // The processors' model files are compressed too; a file too small to gain is sent as it is.
    const wasm = await get(`${server.url}/sdk/processors/model.wasm`, { 'accept-encoding': 'br' });
    expect(wasm.headers['content-encoding']).toBe('br');
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect(brotliDecompressSync(wasm.body).equals(Buffer.alloc(64 * 1024, 7))).toBe(true);
    const tiny = await get(`${server.url}/sdk/tiny.js`, { 'accept-encoding': 'br' });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.headers.vary).toBeUndefined();
  });

  it('caches a URL carrying the content tag for a year, revalidates the rest', async () => {
    const tag = createHash('sha256').update(script).digest('hex').slice(0, 16);
    const tagged = await get(`${server.url}/sdk/parley.js?v=${tag}`);
    expect(tagged.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const stale = await get(`${server.url}/sdk/parley.js?v=${'0'.repeat(16)}`);
    expect(stale.headers['cache-control']).toBe('no-cache');
    expect(stale.body.toString()).toBe(script);
    expect((await get(`${server.url}/sdk/parley.js`)).headers['cache-control']).toBe('no-cache');
  });

  it('answers byte ranges with 206, a past-the-end range with 416, and a stale If-Range with the whole file', async () => {
    const url = `${server.url}/sdk/parley.js`;
    const whole = await get(url);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    const first = await get(url, { range: 'bytes=0-9' });
    expect(first.status).toBe(206);
    expect(first.headers['content-range']).toBe(`bytes 0-9/${script.length}`);
    expect(first.body.toString()).toBe(script.slice(0, 10));
    const suffix = await get(url, { range: 'bytes=-12' });
    expect(suffix.status).toBe(206);
    expect(suffix.body.toString()).toBe(script.slice(-12));
    const open = await get(url, { range: `bytes=${script.length - 5}-` });
    expect(open.body.toString()).toBe(script.slice(-5));
    const past = await get(url, { range: `bytes=${script.length + 10}-` });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${script.length}`);
    const ifRange = await get(url, { range: 'bytes=0-9', 'if-range': whole.headers.etag as string });
    expect(ifRange.status).toBe(206);
    const changed = await get(url, { range: 'bytes=0-9', 'if-range': '"something-else"' });
    expect(changed.status).toBe(200);
    expect(changed.body.length).toBe(script.length);
    // A range of the compressed representation (its own ETag) is a slice of the .br file.
    const brRange = await get(url, { 'accept-encoding': 'br', range: 'bytes=0-3' });
    expect(brRange.status).toBe(206);
    expect(brRange.headers['content-encoding']).toBe('br');
    expect(brRange.body.length).toBe(4);
  });

  it('ignores a variant older than its source (a package rebuilt without precompressing)', async () => {
    const path = join(sdkDir, 'parley.js');
    const updated = script + '\n// rebuilt';
    await writeFile(path, updated);
    const future = new Date(Date.now() + 60_000);
    await utimes(path, future, future);
    const res = await get(`${server.url}/sdk/parley.js`, { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe(updated);
  });
});
