import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oggCrc, oggPage } from './oggPage.js';
import { OpusOggWriter } from './OpusOggWriter.js';
import { RtpClock } from './RtpClock.js';
import { opusSamples, rtpPayloadBounds, vp8Descriptor } from './rtpPayload.js';
import { Vp8IvfWriter } from './Vp8IvfWriter.js';

const run = promisify(execFile);

/** An RTP packet: 12-byte header (+ optional one-word extension), payload, marker. */
function rtp(seq: number, ts: number, payload: Uint8Array, marker = false, extension = false): Buffer {
  const ext = extension ? Buffer.from([0xbe, 0xde, 0, 1, 0x10, 0xff, 0, 0]) : Buffer.alloc(0);
  const h = Buffer.alloc(12);
  h[0] = 0x80 | (extension ? 0x10 : 0);
  h[1] = (marker ? 0x80 : 0) | 96;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(ts >>> 0, 4);
  h.writeUInt32BE(1234, 8);
  return Buffer.concat([h, ext, payload]);
}

/** A fake VP8 frame: key (P bit 0) with a 320×240 start code, or inter. */
function vp8Frame(key: boolean, size: number): Buffer {
  const f = Buffer.alloc(size, 0xaa);
  f[0] = key ? 0x10 : 0x11;
  if (key) {
    f.set([0x9d, 0x01, 0x2a], 3);
    f.writeUInt16LE(320, 6);
    f.writeUInt16LE(240, 8);
  }
  return f;
}

describe('rtpPayload', () => {
  it('skips CSRCs, the header extension and padding', () => {
    const p = rtp(1, 0, Buffer.from([1, 2, 3]), false, true);
    expect(rtpPayloadBounds(p)).toEqual({ start: 20, end: 23 });
    const padded = Buffer.concat([rtp(1, 0, Buffer.from([9, 9])), Buffer.from([0, 0, 3])]);
    padded[0]! |= 0x20;
    expect(rtpPayloadBounds(padded)).toEqual({ start: 12, end: 14 });
    expect(rtpPayloadBounds(Buffer.alloc(5))).toBeNull();
  });

  it('reads the VP8 descriptor with 15-bit picture ids, TL0PICIDX and TID', () => {
    const d = Buffer.from([0x90, 0xe0, 0x80, 0x01, 0x05, 0x40, 0x00]);
    expect(vp8Descriptor(d, 0, d.length)).toEqual({ length: 6, frameStart: true });
    expect(vp8Descriptor(Buffer.from([0x00, 0x00]), 0, 2)).toEqual({ length: 1, frameStart: false });
    expect(vp8Descriptor(Buffer.from([0x91]), 0, 1)).toBeNull(); // X set, extension byte missing
  });

  it('counts Opus samples from the TOC byte', () => {
    expect(opusSamples(Buffer.from([0xfc]), 0, 1)).toBe(960); // CELT 20 ms, one frame
    expect(opusSamples(Buffer.from([0x78 | 1]), 0, 1)).toBe(1920); // 20 ms hybrid? config 15, two frames
    expect(opusSamples(Buffer.from([0x08 | 3, 3]), 0, 2)).toBe(3 * 960); // SILK 20 ms, code 3, three frames
  });
});

describe('RtpClock', () => {
  it('counts from the first timestamp across the 32-bit wrap and places late packets back', () => {
    const c = new RtpClock();
    expect(c.since(0xffffff00)).toBe(0);
    expect(c.since(0x00000100)).toBe(0x200);
    expect(c.since(0x00000000)).toBe(0x100);
  });
});

describe('Ogg pages', () => {
  it('checksums as libogg does and splits a packet into 255-byte lacing values', () => {
    expect(oggCrc(Buffer.from('123456789'))).toBe(0x89a1897f); // check value of CRC-32 poly 04c11db7, init 0, no reflection, no xor
    const page = oggPage(Buffer.alloc(600, 1), 5n, 7, 2, 0);
    expect(page.subarray(0, 4).toString('latin1')).toBe('OggS');
    expect([...page.subarray(26, 30)]).toEqual([3, 255, 255, 90]);
    const crc = page.readUInt32LE(22);
    page.writeUInt32LE(0, 22);
    expect(oggCrc(page)).toBe(crc);
  });
});

describe('capture writers, read back by ffprobe', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-capture-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const end = (s: ReturnType<typeof createWriteStream>): Promise<void> => new Promise((r) => s.end(r));

  it('VP8 → IVF: starts at a keyframe, reassembles frames, drops a frame with a lost packet until the next keyframe', async () => {
    const file = join(dir, 'v.ivf');
    const out = createWriteStream(file);
    const w = new Vp8IvfWriter(out);
    let seq = 100;
    const send = (ts: number, frame: Buffer, parts: number, skip?: number): string[] => {
      const res: string[] = [];
      const step = Math.ceil(frame.length / parts);
      for (let i = 0; i < parts; i++) {
        const desc = Buffer.from([i === 0 ? 0x10 : 0x00]);
        const chunk = frame.subarray(i * step, (i + 1) * step);
        const n = seq++;
        if (n === skip) continue;
        res.push(w.write(rtp(n, ts, Buffer.concat([desc, chunk]), i === parts - 1), n, ts));
      }
      return res;
    };
    expect(send(1000, vp8Frame(false, 300), 2)).toEqual(['needKeyframe', 'needKeyframe']); // no keyframe yet
    expect(send(4000, vp8Frame(true, 2000), 3).at(-1)).toBe('ok');
    send(7000, vp8Frame(false, 500), 2);
    expect(send(10000, vp8Frame(false, 500), 2, seq + 1)).toEqual(['ok']); // its last packet is lost…
    expect(send(13000, vp8Frame(false, 500), 2)).toEqual(['needKeyframe', 'needKeyframe']); // …seen here: dropped
    send(16000, vp8Frame(true, 1500), 2);
    await end(out);
    expect(w.frames).toBe(3);
    const data = await readFile(file);
    expect(data.subarray(0, 4).toString('latin1')).toBe('DKIF');
    expect([data.readUInt16LE(12), data.readUInt16LE(14)]).toEqual([320, 240]);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=pts,size', '-of', 'csv=p=0', file]);
    expect(stdout.trim().split('\n')).toEqual(['0,2000', '3000,500', '12000,1500']);
  });

  it('Opus → Ogg: granules follow RTP time, gaps stay gaps', async () => {
    const file = join(dir, 'a.ogg');
    const out = createWriteStream(file);
    const w = new OpusOggWriter(out);
    const packet = Buffer.from([0xfc, 0xff, 0xfe]);
    for (let i = 0; i < 5; i++) w.write(rtp(i, 48000 + i * 960, packet), i, 48000 + i * 960);
    w.write(rtp(5, 48000 + 50 * 960, packet), 5, 48000 + 50 * 960); // 1 s of silence suppression
    await end(out);
    expect(w.packets).toBe(6);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=pts', '-of', 'csv=p=0', file]);
    const pts = stdout.trim().split('\n').map(Number);
    // 5 packets, 45 silent fillers, the packet after the gap exactly 1 s after the first.
    expect(pts.length).toBe(51);
    expect(pts.at(-1)).toBe(48000);
  });
});
