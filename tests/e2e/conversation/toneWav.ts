import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';

// Fake microphone input for Chromium's --use-file-for-fake-audio-capture (it loops the file).

const SAMPLE_RATE = 48_000;

/** A 16-bit mono PCM WAV file around `samples` (−1…1). */
function wav(samples: Float32Array): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 32767), i * 2);
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

/** `toneSeconds` of a 440 Hz tone (with two harmonics) then `silenceSeconds` of silence. */
function toneThenSilence(toneSeconds: number, silenceSeconds: number): Float32Array {
  const toneSamples = Math.round(toneSeconds * SAMPLE_RATE);
  const out = new Float32Array(toneSamples + Math.round(silenceSeconds * SAMPLE_RATE));
  for (let i = 0; i < toneSamples; i++) {
    const t = i / SAMPLE_RATE;
    out[i] = 0.4 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * 880 * t) + 0.1 * Math.sin(2 * Math.PI * 1320 * t);
  }
  return out;
}

/**
 * Something an encoder's voice activity detector takes for talk: a voiced harmonic series whose
 * pitch glides between 110 and 220 Hz, cut into 4-per-second syllables with short pauses. A
 * steady tone is not enough — detectors learn it as background noise within a second.
 */
function speechLike(seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / SAMPLE_RATE;
    const pitch = 165 + 55 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += (2 * Math.PI * pitch) / SAMPLE_RATE;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(h * phase) / h;
    const syllable = (t * 4) % 1; // 250 ms: ~180 ms voiced, then a pause
    const envelope = syllable < 0.72 ? Math.sin((Math.PI * syllable) / 0.72) : 0;
    out[i] = 0.3 * envelope * v;
  }
  return out;
}

function writeTemp(name: string, samples: Float32Array): string {
  const path = joinPath(mkdtempSync(joinPath(tmpdir(), 'parley-tone-')), name);
  writeFileSync(path, wav(samples));
  return path;
}

/** Writes a tone-then-silence WAV to a new temporary file and returns its path. */
export function writeToneWav(toneSeconds: number, silenceSeconds: number): string {
  return writeTemp('tone.wav', toneThenSilence(toneSeconds, silenceSeconds));
}

/** Writes {@link speechLike} audio to a new temporary file and returns its path. */
export function writeSpeechLikeWav(seconds: number): string {
  return writeTemp('speech.wav', speechLike(seconds));
}
