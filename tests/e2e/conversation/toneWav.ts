import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';

// Fake microphone input for Chromium's --use-file-for-fake-audio-capture (it loops the file).

const SAMPLE_RATE = 48_000;

/** 16-bit mono PCM WAV: `toneSeconds` of tone then `silenceSeconds` of silence. */
function toneThenSilenceWav(toneSeconds: number, silenceSeconds: number): Buffer {
  const toneSamples = Math.round(toneSeconds * SAMPLE_RATE);
  const total = toneSamples + Math.round(silenceSeconds * SAMPLE_RATE);
  const data = Buffer.alloc(total * 2);
  for (let i = 0; i < toneSamples; i++) {
    const t = i / SAMPLE_RATE;
    const v = 0.4 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * 880 * t) + 0.1 * Math.sin(2 * Math.PI * 1320 * t);
    data.writeInt16LE(Math.round(v * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Writes {@link toneThenSilenceWav} to a new temporary file and returns its path. */
export function writeToneWav(toneSeconds: number, silenceSeconds: number): string {
  const path = joinPath(mkdtempSync(joinPath(tmpdir(), 'parley-tone-')), 'tone.wav');
  writeFileSync(path, toneThenSilenceWav(toneSeconds, silenceSeconds));
  return path;
}
