import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { openSdkPage, paths, pollUntil, runCli, startServer, useE2E, waitInPage } from '../harness/index.js';
import { CONV_PAGE, convUser, join as joinRoom } from './helpers.js';
import { colourDistance, frameAt, meanColour, probe, recordFor, watchRecording } from './recording-helpers.js';

const env = useE2E('conversation-recording');

/** The composite's background (compositePlan BACKGROUND) as RGB. */
const BACKGROUND = [32, 32, 32];
const W = 1280;
const H = 720;

interface Info {
  roomName: string;
  callId: string;
  recordType: string;
  convId: string;
  mediaId: string;
  mediaURL: string;
  recordedFileName: string;
  audioOnly: boolean;
  videoOnly: boolean;
  mode: string;
  labelEnabled: boolean;
}

describe('composite recording', () => {
  test('three participants, one leaves mid-way: events on every page, MP4 with H.264 + AAC, two tiles mid-way, range download, refusals', async () => {
    const a = await convUser(env, 'alice');
    const b = await convUser(env, 'bob');
    const c = await convUser(env, 'carol');
    for (const u of [a, b, c]) {
      await joinRoom(u.user, 'rec-room');
      await watchRecording(u.user);
      await u.user.page.evaluate(() => CONV.publishCamera());
    }
    // Every camera reached the SFU before recording starts: each page sees the two others.
    for (const u of [a, b, c]) await waitInPage(u.user, 'two remote streams', () => CONV.remoteIds().length >= 2);
    expect(await b.user.page.evaluate(() => CONV.conv.isRecorded())).toBe(false);

    const started = Date.now();
    const info = (await a.user.page.evaluate(() => CONV.conv.startRecording())) as Info;
    expect(info).toMatchObject({
      roomName: 'rec-room',
      callId: 'COMPOSITE',
      recordType: 'composite',
      audioOnly: false,
      videoOnly: false,
      mode: 'complete',
      labelEnabled: false,
    });
    expect(info.mediaId).toMatch(/^[0-9]+$/);
    expect(info.recordedFileName).toMatch(new RegExp(`^[0-9a-f]+-${info.mediaId}-composite\\.mp4$`));
    expect(info.mediaURL.startsWith(`${env.server.url}/media/recordings/${info.mediaId}/`)).toBe(true);
    for (const u of [a, b, c]) {
      await waitInPage(u.user, 'recordingStarted', (id: string) => E2E.of('recordingStarted').some((e) => e.mediaId === id), info.mediaId);
    }
    expect(await c.user.page.evaluate(() => [CONV.conv.isRecorded(), CONV.conv.getRecordingInfo()?.mediaId])).toEqual([true, info.mediaId]);
    // A second start gets the server's refusal.
    const second = await b.user.page.evaluate(() =>
      CONV.conv.startRecording().then(
        () => 'resolved',
        (e: { code: number; error: Error }) => ({ code: e.code, message: e.error.message }),
      ),
    );
    expect(second).toEqual({ code: 0, message: 'startRecording() - START_RECORD_ALREADY_ON' });

    // A late joiner learns that the conversation is being recorded.
    const d = await convUser(env, 'dave');
    await joinRoom(d.user, 'rec-room');
    await waitInPage(d.user, 'isRecorded after join', () => CONV.conv.isRecorded() === true);
    expect(await d.user.page.evaluate(() => CONV.conv.getRecordingInfo()?.mediaId)).toBe(info.mediaId);
    await d.user.page.evaluate(() => CONV.conv.leave());

    await recordFor(5_000);
    await c.user.page.evaluate(() => CONV.conv.leave());
    await recordFor(6_000);

    const stopped = (await b.user.page.evaluate(() => CONV.conv.stopRecording())) as Info;
    const lengthS = (Date.now() - started) / 1000;
    expect(stopped.mediaId).toBe(info.mediaId);
    for (const u of [a, b]) {
      await waitInPage(u.user, 'recordingStopped', (id: string) => E2E.of('recordingStopped').some((e) => e.mediaId === id), info.mediaId);
      await waitInPage(u.user, 'recordingAvailable', (id: string) => E2E.of('recordingAvailable').some((e) => e.mediaId === id), info.mediaId, 120_000);
    }
    expect(await a.user.page.evaluate(() => CONV.conv.isRecorded())).toBe(false);
    const available = (await a.user.page.evaluate(() => E2E.of('recordingAvailable')[0])) as unknown as Info;
    expect(available.recordedFileName).toBe(info.recordedFileName);

    // Range requests: first bytes, a suffix, past the end.
    const head = await fetch(available.mediaURL, { headers: { Range: 'bytes=0-99' } });
    expect(head.status).toBe(206);
    const size = Number(/\/(\d+)$/.exec(head.headers.get('content-range') ?? '')?.[1]);
    expect(head.headers.get('content-range')).toBe(`bytes 0-99/${size}`);
    expect(head.headers.get('content-type')).toBe('video/mp4');
    expect((await head.arrayBuffer()).byteLength).toBe(100);
    const tail = await fetch(available.mediaURL, { headers: { Range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    const past = await fetch(available.mediaURL, { headers: { Range: `bytes=${size}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${size}`);

    // The whole file, as the page's getMedia() gets it and as a download.
    expect(await a.user.page.evaluate(async (url: string) => (await CONV.conv.getMedia(url)).size, available.mediaURL)).toBe(size);
    const whole = await fetch(available.mediaURL);
    expect(whole.status).toBe(200);
    // Kept in artifacts/ to look at.
    await mkdir(paths.artifacts, { recursive: true });
    const file = join(paths.artifacts, 'recording-composite.mp4');
    await writeFile(file, Buffer.from(await whole.arrayBuffer()));

    const p = await probe(file);
    expect(p.codecs).toEqual(['aac', 'h264']);
    // As long as the recording ran (from the start to the stop request, give or take a second).
    expect(Math.abs(p.duration - lengthS)).toBeLessThan(1.5);
    for (const s of p.streams) expect(Math.abs(s.duration - p.duration)).toBeLessThan(0.5);

    // Mid-way several tiles show: the tops of the two upper tiles (3-grid) or of the two halves
    // (2-grid) are camera pictures, a corner is the background.
    const frame = await frameAt(file, p.duration / 2, W, H);
    const corner = meanColour(frame, W, 10, 10);
    const left = meanColour(frame, W, 320, 180);
    const right = meanColour(frame, W, 960, 180);
    expect(colourDistance(corner, BACKGROUND)).toBeLessThan(8);
    expect(colourDistance(left, BACKGROUND)).toBeGreaterThan(20);
    expect(colourDistance(right, BACKGROUND)).toBeGreaterThan(20);

    // Without a valid signature nothing is served.
    const url = new URL(available.mediaURL);
    const noSig = new URL(url);
    noSig.searchParams.delete('sig');
    expect((await fetch(noSig)).status).toBe(403);
    const forged = new URL(url);
    forged.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
    expect((await fetch(forged)).status).toBe(403);
    const otherFile = new URL(url);
    otherFile.pathname = otherFile.pathname.replace(/[^/]+$/, 'x.mp4');
    expect((await fetch(otherFile)).status).toBe(403);
    // And stopping twice is refused.
    const again = await a.user.page.evaluate(() =>
      CONV.conv.stopRecording().then(
        () => 'resolved',
        (e: { code: number; error: Error }) => ({ code: e.code, message: e.error.message }),
      ),
    );
    expect(again).toEqual({ code: 0, message: 'stopRecording() - no recording running' });
  }, 240_000);

  test('a server killed mid-recording lists the partial recording after restart, and it plays', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-rec-crash-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const first = await startServer({ name: 'recording-crash-1', env: { PARLEY_DATA_DIR: dataDir } });
    onTestFinished(() => first.stop());
    const user = await openSdkPage(env.browser, first.url, 'erin');
    await user.page.evaluate(CONV_PAGE);
    await user.page.evaluate(() => E2E.register());
    await joinRoom(user, 'crash-room');
    await user.page.evaluate(() => CONV.publishCamera());
    const info = (await user.page.evaluate(() => CONV.conv.startRecording())) as Info;
    // Wait until the server has media in the capture (its segment files grow), then kill it.
    await recordFor(5_000);
    await first.crash();
    expect(first.exitInfo()).toContain('SIGKILL');

    const second = await startServer({ name: 'recording-crash-2', env: { PARLEY_DATA_DIR: dataDir } });
    onTestFinished(() => second.stop());
    let row: { mediaId: string; state: string; file: string; durationS: number | null } | undefined;
    await pollUntil(
      async () => {
        const out = await runCli(dataDir, ['recordings', 'list', '--json']);
        const rows = JSON.parse(out.stdout || '[]') as (typeof row)[];
        row = rows.find((r) => r?.mediaId === info.mediaId);
        return row?.state === 'available' || row?.state === 'failed';
      },
      { timeoutMs: 120_000, intervalMs: 500, what: `recording ${info.mediaId} finished after restart` },
    );
    expect(row?.state).toBe('available');
    const p = await probe(row!.file);
    expect(p.codecs).toEqual(['aac', 'h264']);
    expect(p.duration).toBeGreaterThan(1);

    // The CLI deletes it, files included.
    const del = await runCli(dataDir, ['recordings', 'delete', info.mediaId]);
    expect(del.code).toBe(0);
    const after = JSON.parse((await runCli(dataDir, ['recordings', 'list', '--json'])).stdout) as unknown[];
    expect(after).toEqual([]);
  }, 240_000);
});
