/* global Parley, B -- Page globals: the SDK bundle and media-bench.mjs's page helpers. */
// recording: (1) composite encoding of four 640×480 publishers (VP8 + Opus segments, as the
// server captures them) into the 1280×720 H.264 + AAC MP4, with the server's own filter graph
// (packages/server/dist/recording/compositePlan.js), one thread as the server runs it: CPU seconds
// and wall time per media second (real-time factor on one core = media s ÷ CPU s). Reference in the same run: the
// same x264/AAC settings encoding one 1280×720 test picture with a tone (no decoding, no
// composition). (2) The SFU's CPU per forwarded Mbps, one Chromium publisher (640×480) and N = 10
// node-datachannel subscribers, without then with a recording of that conversation running (the
// captures run in the server process; the composition runs after the stop, in its own process).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ipcClient, spawnNode, stop, waitForJsonLine } from '../lib/children.mjs';
import { benchDir, loadAverage, repoRoot } from '../lib/machine.mjs';
import { chromiumVersion, ensureY4m, launchChromium, openSdkPage, PAGE_PUBLISH, PAGE_REGISTER, startParley } from '../lib/media-bench.mjs';
import { measureSeries, SAMPLE, SAMPLE_EVERY } from '../lib/fanout-series.mjs';
import { fmt, fmtRatio } from '../lib/results.mjs';
import { ratio } from '../lib/stats.mjs';

export const meta = {
  name: 'recording',
  title: 'Recording: composite encoding speed (× real time) of four 640×480 publishers; SFU CPU per forwarded Mbps with and without a recording',
  timeoutMs: 10 * 60_000,
  needsBrowser: true,
};

const TARGET_RTF = 1;

/**
 * Runs `ffmpeg args`; returns its CPU (user + sys) and wall seconds. Not niced here: on a shared
 * machine a niced encoder's wall time measures the others; its CPU time is what is compared.
 */
function timed(args) {
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%U %S %R"; time ffmpeg "$@" 2>/dev/null', 'bash', ...args], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  const [u, s, real] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  if (r.status !== 0) throw new Error(`ffmpeg failed (${r.status})`);
  return { cpu: u + s, wall: real };
}

function makeSegments(dir, seconds) {
  // One 640×480 VP8 file and one Opus file, placed four times (publishers joining 1 s apart):
  // the decoder and the graph do the same work as for four different cameras, and the shared
  // machine is spared three encodes.
  const v = join(dir, 'v.ivf');
  const a = join(dir, 'a.ogg');
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=640x480:rate=30`,
    '-t',
    String(seconds),
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '16',
    '-b:v',
    '1500k',
    v,
  ]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=f=440:d=${seconds}`, '-c:a', 'libopus', '-b:a', '48k', a]);
  const segments = [];
  for (let i = 0; i < 4; i++) {
    const start = i * 1000;
    const dur = (seconds - i) * 1000;
    segments.push({ file: v, kind: 'video', startMs: start, durationMs: dur }, { file: a, kind: 'audio', startMs: start, durationMs: dur });
  }
  return segments;
}

async function compositeSpeed(tmp, seconds) {
  const { compositeArgs } = await import(pathToFileURL(join(repoRoot, 'packages/server/dist/recording/compositePlan.js')).href);
  const segments = makeSegments(tmp, seconds);
  const spec = {
    segments,
    durationMs: seconds * 1000,
    width: 1280,
    height: 720,
    fps: 25,
    video: true,
    audio: true,
    threads: 1,
    output: join(tmp, 'composite.mp4'),
  };
  const composite = timed(compositeArgs(spec).filter((a) => a !== '-hide_banner'));
  const reference = timed([
    '-nostdin',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1280x720:rate=25:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=f=440:d=${seconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '23',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '50',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-threads',
    '1',
    '-movflags',
    '+faststart',
    join(tmp, 'reference.mp4'),
  ]);
  return { composite, reference };
}

export async function run(ctx) {
  const quick = ctx.flags.has('--quick');
  const seconds = quick ? 8 : 20;
  const tmp = mkdtempSync(join(tmpdir(), 'parley-bench-rec-'));
  const notes = [];
  const load = [loadAverage()];
  try {
    ctx.log(`Composite of four 640×480 VP8 + Opus segments, ${seconds} s, 1 thread…`);
    const { composite, reference } = await compositeSpeed(tmp, seconds);
    // Speed on one dedicated core: media seconds per CPU second (one thread). Wall time is shown
    // too but moves with whatever else runs.
    const rtf = seconds / composite.cpu;
    const cpuPerS = composite.cpu / seconds;
    const refCpuPerS = reference.cpu / seconds;
    ctx.log(
      `  composite: ${fmt(composite.cpu, 1)} CPU-s, ${fmt(composite.wall, 1)} s wall → ${fmt(rtf, 2)}× real time; reference encode: ${fmt(reference.cpu, 1)} CPU-s`,
    );

    // SFU CPU per forwarded Mbps without / with a recording.
    const windowS = quick ? 4 : 10;
    const n = quick ? 3 : 10;
    const y4m = ensureY4m();
    const server = await startParley({ tmp, tag: 'rec' });
    let browser;
    let lcChild;
    const sfu = {};
    try {
      browser = await launchChromium({ y4m });
      const pub = await openSdkPage(browser, server.origin);
      await pub.page.evaluate(PAGE_REGISTER);
      await pub.page.evaluate(PAGE_PUBLISH, 'rec-bench');
      await new Promise((r) => setTimeout(r, 8000)); // the publisher's bitrate ramps up (same wait with and without)
      lcChild = spawnNode([join(benchDir, 'lib/sfu-loadclient.mjs')], { ipc: true, logFile: join(tmp, 'loadclient.log') });
      await waitForJsonLine(lcChild, (v) => v.ready === true);
      const lc = ipcClient(lcChild);
      const pubOut = () =>
        pub.page.evaluate(async () => {
          const out = { packets: 0, videoBytes: 0, width: 0, height: 0, at: performance.now() };
          for (const pc of Parley.debug.peerConnections()) {
            (await pc.getStats()).forEach((r) => {
              if (r.type !== 'outbound-rtp') return;
              out.packets += r.packetsSent || 0;
              if (r.kind === 'video') out.videoBytes += r.bytesSent || 0;
            });
          }
          return out;
        });
      let added = false;
      const measure = (label) =>
        measureSeries({
          label,
          pid: server.pid,
          lcPid: lcChild.pid,
          ns: [n],
          windowS,
          settleS: 3,
          addSubscribers: async (k) => {
            if (added) return;
            added = true;
            await lc({ cmd: 'parley', url: server.url, room: 'rec-bench', n: k, sample: SAMPLE, every: SAMPLE_EVERY }, 180000);
          },
          loadclient: lc,
          pubOut,
          log: ctx.log,
        });
      sfu.off = (await measure('no recording'))[0];
      await pub.page.evaluate(() => B.pub.conv.startRecording());
      sfu.on = (await measure('recording'))[0];
      await pub.page.evaluate(() => B.pub.conv.stopRecording());
      sfu.off2 = (await measure('no recording, again'))[0];
    } finally {
      await browser?.close().catch(() => {});
      if (lcChild) await stop(lcChild, { graceMs: 2000 });
      await stop(server.child);
    }
    load.push(loadAverage());
    const perMbps = (r) => (r && !r.error ? r.cpuPerMbps * 1000 : NaN);
    const baseline = (perMbps(sfu.off) + perMbps(sfu.off2)) / 2;
    const withRec = perMbps(sfu.on);
    const noise = Math.abs(perMbps(sfu.off) - perMbps(sfu.off2));
    const rows = [
      ['composite real-time factor on one core (media s ÷ CPU s, 1 thread)', fmt(rtf, 2) + '×', `≥ ${TARGET_RTF}× ${rtf >= TARGET_RTF ? 'met' : 'MISSED'}`],
      ['composite wall time for the media length (shared machine)', `${fmt(composite.wall, 1)} s for ${seconds} s`, '—'],
      ['composite CPU per media second', `${fmt(cpuPerS, 2)} s`, '—'],
      ['reference (single 1280×720 encode, same settings) CPU per media second', `${fmt(refCpuPerS, 2)} s`, '—'],
      ['composite ÷ reference CPU', fmtRatio(ratio(cpuPerS, refCpuPerS)), '—'],
      [`SFU CPU per forwarded Mbps, N=${n}, no recording (before / after)`, `${fmt(perMbps(sfu.off), 2)} / ${fmt(perMbps(sfu.off2), 2)} ms/s`, '—'],
      [
        `SFU CPU per forwarded Mbps, N=${n}, recording`,
        `${fmt(withRec, 2)} ms/s`,
        `within noise (${fmt(noise, 2)}): ${Math.abs(withRec - baseline) <= Math.max(noise, 0.1 * baseline) ? 'met' : 'MISSED'}`,
      ],
      ['recording ÷ no recording (mean of before and after)', fmtRatio(ratio(withRec, baseline)), '—'],
    ];
    notes.push(
      `Segments are ffmpeg-made VP8 (libvpx realtime, 1.5 Mbit/s) and Opus files standing for four publishers starting 1 s apart; the SFU part records one Chromium publisher (its two tracks) while forwarding to ${n} subscribers.`,
    );
    notes.push(`Load average before / after: ${load.join(' / ')}.`);
    return {
      headline: `${fmt(rtf, 2)}× real time`,
      headlineExtra: `capture cost ${fmtRatio(ratio(withRec, baseline))} of forwarding CPU per Mbps`,
      tables: [{ title: 'Composite recording', columns: ['metric', 'value', 'target'], rows }],
      notes,
      versions: {
        'Parley server': server.version,
        Chromium: chromiumVersion(),
        ffmpeg: spawnSync('ffmpeg', ['-version'], { encoding: 'utf8' }).stdout.split('\n')[0],
      },
      record: !quick,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
