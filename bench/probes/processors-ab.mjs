// Probe (docs/sdk.md § What was traded for CPU): the built processors against other builds of
// them, side by side in one Chromium. One page per variant: 'new' loads /sdk/processors/ from the
// built server, each other variant gets the files of a folder instead (a copy of an earlier
// packages/sdk/dist/processors). The cases alternate between the variants over rounds (order
// reversed every other round) and each figure is the median over rounds, so a shared machine's
// load falls on all variants alike. Not a benchmark: nothing is recorded.
//
//   DIRS=old=/tmp/old-processors KINDS=blur,image,noise ROUNDS=4 WIN=5000 node bench/probes/processors-ab.mjs
//
// Note: every variant shares the browser's CPU figures, so a variant that leaves an AudioContext
// running (the builds before 2026-12-07) adds its idle cost to the others' audio windows.
import { launchChromium, ensureY4m, startParley, openSdkPage } from '../lib/media-bench.mjs';
import { stop } from '../lib/children.mjs';
import { loadAverage } from '../lib/machine.mjs';
import { PAGE_FRAMES, PAGE_START, PAGE_STOP } from '../benchmarks/processors-page.mjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
if (!process.env.DIRS) {
  console.error('DIRS=name=folder[,name=folder…] is required (copies of packages/sdk/dist/processors)');
  process.exit(2);
}
const DIRS = Object.fromEntries(process.env.DIRS.split(',').map((x) => x.split('=')));
const VARIANTS = ['new', ...Object.keys(DIRS)];
const KINDS = (process.env.KINDS || 'blur,noise').split(',');
const ROUNDS = Number(process.env.ROUNDS || 3);
const WIN = Number(process.env.WIN || 5000);
const tmp = mkdtempSync(join(tmpdir(), 'parley-probe-ab-'));
const server = await startParley({ tmp, tag: 'ab' });
const browser = await launchChromium({ y4m: ensureY4m() });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const types = { js: 'text/javascript', mjs: 'text/javascript', wasm: 'application/wasm', map: 'application/json' };
async function cpu(cdp) {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  return new Map(processInfo.map((p) => [p.id, { cpu: p.cpuTime || 0, type: p.type }]));
}
function delta(a, b, type) {
  let s = 0;
  for (const [id, p] of b) if (!type || p.type === type) s += p.cpu - (a.get(id)?.cpu ?? 0);
  return s;
}
async function task(pc) {
  const { metrics } = await pc.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value;
}
try {
  const cdp = await browser.newBrowserCDPSession();
  const pages = {};
  for (const v of VARIANTS) {
    const { page, context, errors } = await openSdkPage(browser, server.origin);
    if (v !== 'new')
      await context.route(`${server.origin}/sdk/processors/**`, (route) => {
        const rel = new URL(route.request().url()).pathname.replace('/sdk/processors/', '');
        const ext = rel.split('.').pop();
        route.fulfill({ status: 200, contentType: types[ext] || 'application/octet-stream', body: readFileSync(join(DIRS[v], rel)) });
      });
    const pc = await context.newCDPSession(page);
    await pc.send('Performance.enable');
    pages[v] = { page, pc, errors };
  }
  const cases = [];
  if (KINDS.includes('blur')) cases.push({ kind: 'video', processor: 'none' }, { kind: 'video', processor: 'blur' });
  if (KINDS.includes('image')) cases.push({ kind: 'video', processor: 'backgroundImage' });
  if (KINDS.includes('noise')) cases.push({ kind: 'audio', processor: 'none' }, { kind: 'audio', processor: 'noiseReduction' });
  const res = {};
  console.log('load', loadAverage());
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of cases)
      for (const v of r % 2 ? [...VARIANTS].reverse() : VARIANTS) {
        const { page, pc } = pages[v];
        await page.evaluate(PAGE_START, c);
        await sleep(r === 0 && c.processor !== 'none' ? 3500 : 2000);
        const f0 = await page.evaluate(PAGE_FRAMES);
        const c0 = await cpu(cdp);
        const t0 = await task(pc);
        const w0 = Date.now();
        await sleep(WIN);
        const f1 = await page.evaluate(PAGE_FRAMES);
        const c1 = await cpu(cdp);
        const t1 = await task(pc);
        const wall = (Date.now() - w0) / 1000;
        await page.evaluate(PAGE_STOP);
        const k = `${c.kind}/${c.processor}/${v}`;
        (res[k] ??= []).push({
          del: (f1.delivered - f0.delivered) / wall,
          pres: (f1.presented - f0.presented) / wall,
          cpu: delta(c0, c1) / wall,
          gpu: delta(c0, c1, 'GPU') / wall,
          main: (t1 - t0) / wall,
        });
      }
    console.log('round', r + 1, 'load', loadAverage());
  }
  const med = (a) => {
    const s = [...a].sort((x, y) => x - y);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  for (const [k, arr] of Object.entries(res)) {
    const f = (key) => med(arr.map((x) => x[key])).toFixed(1);
    console.log(
      k.padEnd(32),
      'del',
      f('del'),
      'pres',
      f('pres'),
      'cpu%',
      (100 * med(arr.map((x) => x.cpu))).toFixed(1),
      'gpu%',
      (100 * med(arr.map((x) => x.gpu))).toFixed(1),
      'main%',
      (100 * med(arr.map((x) => x.main))).toFixed(1),
      ' all cpu:',
      arr.map((x) => (100 * x.cpu).toFixed(1)).join(' '),
    );
  }
  for (const v of VARIANTS) if (pages[v].errors.length) console.log(v, 'errors', pages[v].errors.slice(0, 3));
} finally {
  await browser.close();
  await stop(server.child);
  rmSync(tmp, { recursive: true, force: true });
}
