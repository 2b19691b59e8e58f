import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { paths, type RunningServer } from '../harness/index.js';
import { loadCorpus } from './corpus.js';
import { FuzzCampaign } from './FuzzCampaign.js';
import { startFuzzServer, wsUrl } from './fuzzServer.js';

/*
 * Crash hunting, frames only (no browser): runs fuzz campaigns against the server and, when it
 * dies, writes the last frames sent and the server's last lines to
 * tests/e2e/artifacts/fuzz-crash-<seed>-<n>.json, restarts it and goes on with the next seed.
 * A tool for finding and minimising crashes, not part of the normal run:
 *
 *   [PARLEY_FUZZ_SEED=n] [PARLEY_FUZZ_FRAMES=n] [PARLEY_FUZZ_ROUNDS=n] [PARLEY_FUZZ_AVOID=result,context,args] npx vitest run --project tools tests/e2e/fuzz/fuzz-hunt.tool.ts
 */
test(
  'hunt for server crashes',
  async () => {
    const corpus = loadCorpus();
    const frames = Number(process.env.PARLEY_FUZZ_FRAMES ?? 100_000);
    let seed = Number(process.env.PARLEY_FUZZ_SEED ?? Date.now() % 2 ** 31);
    const rounds = Number(process.env.PARLEY_FUZZ_ROUNDS ?? 3);
    const crashes: string[] = [];
    const avoid = new Set((process.env.PARLEY_FUZZ_AVOID ?? '').split(',').filter(Boolean));
    mkdirSync(paths.artifacts, { recursive: true });
    for (let round = 0; round < rounds; round++, seed++) {
      const server: RunningServer = await startFuzzServer(`fuzz-hunt-${seed}`);
      try {
        const campaign = new FuzzCampaign({
          url: wsUrl(server),
          seed,
          frames,
          connections: 12,
          corpus: corpus.frames,
          targets: { chatRoom: 'chat', videoRoom: 'video', userIds: ['1', '2'], streamIds: [1] },
          avoid,
        });
        const watch = setInterval(() => {
          if (server.exitInfo() !== undefined) campaign.stop();
        }, 50);
        const stats = await campaign.run();
        clearInterval(watch);
        // Sessions dropped at the end expire after the resume window: give deferred paths a chance to fail.
        await new Promise((r) => setTimeout(r, 4000));
        const exit = server.exitInfo();
        console.log(`seed ${seed}: ${stats.sent} frames, ${stats.lives} lives, ${stats.ms} ms, ${stats.stalls} stalls${exit ? `, SERVER DIED (${exit})` : ''}`);
        if (exit) {
          const file = join(paths.artifacts, `fuzz-crash-${seed}.json`);
          writeFileSync(file, JSON.stringify({ seed, exit, sent: stats.sent, serverLog: server.logTail(), frames: campaign.recentFrames() }, null, 1));
          crashes.push(`seed ${seed}: ${exit} → ${file}`);
        }
      } finally {
        await server.stop();
      }
    }
    expect(crashes).toEqual([]);
  },
  30 * 60_000,
);
