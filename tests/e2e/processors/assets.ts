import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the head, neck and torso of the test figure are (640×480 frame), shared with the checks. */
export const FIGURE = {
  head: { x: 320, y: 150, r: 66 },
  torso: { x: 320, y: 540, rx: 210, ry: 260 },
} as const;

// ffmpeg `geq` expressions: 1 inside the shape, 0 outside.
const head = `lt(hypot(X-${FIGURE.head.x},Y-${FIGURE.head.y}),${FIGURE.head.r})`;
const hair = `lt(hypot(X-320,(Y-128)*1.3),70)*lt(Y,125)`;
const eyes = `(lt(hypot(X-296,Y-148),7)+lt(hypot(X-344,Y-148),7))`;
const mouth = `lt(abs(X-320),18)*lt(abs(Y-185),3)`;
const neck = `lt(abs(X-320),28)*gt(Y,200)*lt(Y,300)`;
const torso = `lt(hypot((X-${FIGURE.torso.x})/${FIGURE.torso.rx},(Y-${FIGURE.torso.y})/${FIGURE.torso.ry}),1)`;
const checker = `eq(mod(floor(X/32)+floor(Y/32),2),0)`;

/** One colour channel: figure parts first (front to back), then the checkered wall. */
function channel(c: { hair: number; eyes: number; mouth: number; skin: number; shirt: number; wallA: number; wallB: number }): string {
  return `if(${hair},${c.hair},if(${eyes},${c.eyes},if(${mouth},${c.mouth},if(${head}+${neck},${c.skin},if(${torso},${c.shirt},if(${checker},${c.wallA},${c.wallB}))))))`;
}

/**
 * Test media made with ffmpeg in a temporary folder:
 * - `video`: 640×480 30 fps Y4M of a still, person-like figure (skin-coloured head with hair,
 *   eyes and mouth, neck, shirt) in front of a high-contrast checkered wall, so that blurring the
 *   background changes it a lot while the figure stays put;
 * - `noisyWav`: 48 kHz mono WAV, 440 Hz tone bursts (1 s on, 1 s off) over steady white noise.
 */
export function makeTestMedia(): { dir: string; video: string; noisyWav: string } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-processors-'));
  const video = join(dir, 'person.y4m');
  const noisyWav = join(dir, 'noisy.wav');
  const geq = [
    `r='${channel({ hair: 60, eyes: 30, mouth: 150, skin: 224, shirt: 40, wallA: 210, wallB: 40 })}'`,
    `g='${channel({ hair: 40, eyes: 30, mouth: 70, skin: 172, shirt: 70, wallA: 200, wallB: 110 })}'`,
    `b='${channel({ hair: 30, eyes: 30, mouth: 70, skin: 140, shirt: 130, wallA: 80, wallB: 190 })}'`,
  ].join(':');
  const ff = (args: string[]): void => {
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' });
  };
  ff(['-f', 'lavfi', '-i', 'color=c=black:s=640x480:r=30:d=2', '-vf', `format=rgb24,geq=${geq},format=yuv420p`, '-pix_fmt', 'yuv420p', video]);
  ff([
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=10',
    '-f',
    'lavfi',
    '-i',
    'anoisesrc=color=white:amplitude=0.08:sample_rate=48000:duration=10',
    '-filter_complex',
    "[0]volume='0.5*lt(mod(t,2),1)':eval=frame[tone];[tone][1]amix=inputs=2:normalize=0[out]",
    '-map',
    '[out]',
    '-ac',
    '1',
    '-ar',
    '48000',
    noisyWav,
  ]);
  return { dir, video, noisyWav };
}
