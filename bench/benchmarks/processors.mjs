// processors: cost of the SDK's noise reduction and background processors in real Chromium.
//
// One page on the built Parley server loads /sdk/parley.js. For each case, in turn and for the
// same window: a local stream from the fake devices (camera: the noisy 640×480 30 fps y4m of the
// media benchmarks; microphone: Chromium's fake beep), processed or not, played in a <video> /
// <audio> element. Measured over the window:
//   - fps: frames presented by the <video> (requestVideoFrameCallback's presentedFrames);
//   - Chromium CPU: cpuTime of every Chromium process (SystemInfo.getProcessInfo over CDP: the
//     renderer with its main thread and audio worklet, the GPU process doing WebGL in software),
//     as a share of one core;
//   - main-thread busy time of the page (Performance.getMetrics TaskDuration), share of wall time.
// References in the same run: the same stream unprocessed (camera; microphone). Ratios and the
// extra CPU of each processor are computed against them.
/* global apiRTC, B -- Page globals of the benchmark page. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stop } from '../lib/children.mjs';
import { loadAverage } from '../lib/machine.mjs';
import { chromiumVersion, ensureY4m, launchChromium, openSdkPage, startParley } from '../lib/media-bench.mjs';
import { fmt, fmtRatio } from '../lib/results.mjs';
import { ratio } from '../lib/stats.mjs';

export const meta = {
  name: 'processors',
  title: 'Processors: fps and CPU of background blur/image and noise reduction vs the unprocessed stream (Chromium)',
  timeoutMs: 8 * 60_000,
  needsBrowser: true,
};

const TARGET_FPS = 30;
const TARGET_NOISE_CORE = 0.05;

/** In-page: starts one case and resolves when its element plays. */
const PAGE_START = async ({ kind, processor }) => {
  window.B = window.B || { ua: new apiRTC.UserAgent({ uri: 'apiKey:myDemoApiKey' }) };
  const constraints =
    kind === 'video' ? { audio: false, video: { width: 640, height: 480, frameRate: 30 } } : { audio: { noiseSuppression: false }, video: false };
  const base = await B.ua.createStream({ constraints });
  let shown = base;
  if (processor === 'noiseReduction') shown = await base.applyAudioProcessor('noiseReduction');
  if (processor === 'blur') shown = await base.applyVideoProcessor('blur');
  if (processor === 'backgroundImage') {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 240;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 320, 240);
    grad.addColorStop(0, '#3a6');
    grad.addColorStop(1, '#36a');
    g.fillStyle = grad;
    g.fillRect(0, 0, 320, 240);
    shown = await base.applyVideoProcessor('backgroundImage', { backgroundImageUrl: c.toDataURL() });
  }
  const el = document.createElement(kind === 'video' ? 'video' : 'audio');
  el.muted = kind === 'video';
  el.autoplay = true;
  document.getElementById('media').appendChild(el);
  el.srcObject = shown.getData();
  await el.play().catch(() => {});
  B.current = { base, el, presented: 0 };
  if (kind === 'video') {
    const tick = (_now, meta) => {
      B.current.presented = meta.presentedFrames;
      if (B.current.el === el) el.requestVideoFrameCallback(tick);
    };
    el.requestVideoFrameCallback(tick);
  }
};

const PAGE_FRAMES = () => B.current.presented;

const PAGE_STOP = () => {
  B.current.el.srcObject = null;
  B.current.el.remove();
  B.current.base.release();
  B.current = null;
};

/** cpuTime (s) of each Chromium process by id. */
async function chromiumCpu(cdp) {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  return new Map(processInfo.map((p) => [p.id, p.cpuTime || 0]));
}

/** CPU seconds spent between two readings: processes that ended in between are not counted, new ones count whole. */
function cpuDelta(before, after) {
  let sum = 0;
  for (const [id, t] of after) sum += t - (before.get(id) ?? 0);
  return sum;
}

async function taskSeconds(pageCdp) {
  const { metrics } = await pageCdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

export async function run(ctx) {
  const quick = ctx.flags.has('--quick');
  const windowMs = quick ? 4000 : 10_000;
  const warmMs = 3000;
  const tmp = mkdtempSync(join(tmpdir(), 'parley-bench-proc-'));
  const load = [loadAverage()];
  const notes = [];
  let server;
  let browser;
  try {
    const y4m = ensureY4m();
    server = await startParley({ tmp, tag: 'processors' });
    ctx.log(`Parley ${server.version} on ${server.origin}; Chromium ${chromiumVersion()}`);
    browser = await launchChromium({ y4m });
    const { page, errors, context } = await openSdkPage(browser, server.origin);
    const cdp = await browser.newBrowserCDPSession();
    const pageCdp = await context.newCDPSession(page);
    await pageCdp.send('Performance.enable');

    const cases = [
      { name: 'camera, unprocessed (reference)', kind: 'video', processor: 'none' },
      { name: 'camera + blur', kind: 'video', processor: 'blur' },
      { name: 'camera + backgroundImage', kind: 'video', processor: 'backgroundImage' },
      { name: 'microphone, unprocessed (reference)', kind: 'audio', processor: 'none' },
      { name: 'microphone + noiseReduction', kind: 'audio', processor: 'noiseReduction' },
    ];
    const results = {};
    for (const c of cases) {
      ctx.log(`• ${c.name}`);
      await page.evaluate(PAGE_START, { kind: c.kind, processor: c.processor });
      // Model and wasm loaded, first masks computed, encoder-free steady state.
      await new Promise((r) => setTimeout(r, warmMs));
      const f0 = await page.evaluate(PAGE_FRAMES);
      const cpu0 = await chromiumCpu(cdp);
      const task0 = await taskSeconds(pageCdp);
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, windowMs));
      const f1 = await page.evaluate(PAGE_FRAMES);
      const cpu1 = await chromiumCpu(cdp);
      const task1 = await taskSeconds(pageCdp);
      const wall = (Date.now() - t0) / 1000;
      await page.evaluate(PAGE_STOP);
      results[c.name] = { fps: c.kind === 'video' ? (f1 - f0) / wall : undefined, cores: cpuDelta(cpu0, cpu1) / wall, main: (task1 - task0) / wall };
    }
    load.push(loadAverage());
    if (errors.length) notes.push(`page errors: ${errors.slice(0, 5).join(' | ')}`);
    const r = (n) => results[n];
    const camRef = r('camera, unprocessed (reference)');
    const micRef = r('microphone, unprocessed (reference)');
    const blur = r('camera + blur');
    const image = r('camera + backgroundImage');
    const noise = r('microphone + noiseReduction');
    const pct = (x) => `${fmt(100 * x, 1)} %`;
    const rows = cases.map((c) => {
      const x = results[c.name];
      return [c.name, x.fps === undefined ? '—' : fmt(x.fps, 1), pct(x.cores), pct(x.main)];
    });
    const noiseExtra = noise.cores - micRef.cores;
    const cmp = [
      [
        'blur fps ÷ unprocessed fps',
        fmtRatio(ratio(blur.fps, camRef.fps)),
        `blur ≥ ${TARGET_FPS} fps: ${blur.fps >= TARGET_FPS - 0.5 ? 'met' : 'MISSED'} (${fmt(blur.fps, 1)})`,
      ],
      ['backgroundImage fps ÷ unprocessed fps', fmtRatio(ratio(image.fps, camRef.fps)), '—'],
      ['blur Chromium CPU ÷ unprocessed camera CPU', fmtRatio(ratio(blur.cores, camRef.cores)), `+${pct(blur.cores - camRef.cores)} of a core`],
      ['blur main-thread time − unprocessed', pct(blur.main - camRef.main), '—'],
      [
        'noiseReduction Chromium CPU ÷ unprocessed microphone CPU',
        fmtRatio(ratio(noise.cores, micRef.cores)),
        `+${pct(noiseExtra)} of a core: target < ${pct(TARGET_NOISE_CORE)} ${noiseExtra < TARGET_NOISE_CORE ? 'met' : 'MISSED'}`,
      ],
    ];
    notes.push(
      `${windowMs / 1000} s window per case after ${warmMs / 1000} s of warm-up, cases in turn in one page; the stream is shown in a <video>/<audio> element, not published. ` +
        `CPU = Chromium's processes' cpuTime (CDP SystemInfo.getProcessInfo) per second of wall time (100 % = one core); main thread = Performance.getMetrics TaskDuration per second. ` +
        `Camera: fake device fed by the noisy testsrc2 640×480 30 fps y4m (no person in it: segmentation runs all the same). Blur/image: every frame composited in the SDK's worker (transferred MediaStreamTrackProcessor/Generator streams), segmentation on the page at most 15/s; the main-thread figure is the page's (the worker's time counts in Chromium CPU). WebGL is software (SwiftShader: --disable-gpu). Load average: ${load.join(' → ')}.`,
    );
    return {
      headline: `blur ${fmt(blur.fps, 1)} fps (unprocessed ${fmt(camRef.fps, 1)}), noise reduction +${pct(noiseExtra)} of a core`,
      tables: [
        { title: 'Per case (640×480 camera; microphone)', columns: ['case', 'fps presented', 'Chromium CPU (share of a core)', 'page main thread busy'], rows },
        { title: 'Against the unprocessed streams measured in the same run', columns: ['ratio', 'value', 'target'], rows: cmp },
      ],
      notes,
      versions: { 'Parley server': server.version, Chromium: chromiumVersion() },
      record: !quick,
    };
  } finally {
    await browser?.close().catch(() => {});
    if (server) await stop(server.child);
    rmSync(tmp, { recursive: true, force: true });
  }
}
