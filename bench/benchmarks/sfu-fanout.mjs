// Benchmark 1 of the benchmark issue (SFU fan-out). Not available yet: it needs conversations
// with SFU media. Replace `unavailable` with a `run(ctx)` (see signalling.mjs for the shape:
// spawn the built server as a child, drive it from a separate load-generator process, measure a
// reference in the same run, return {headline, tables, notes}).
export const meta = {
  name: 'sfu-fanout',
  title: 'SFU fan-out: forwarded media per publisher to N subscribers, CPU and latency vs a reference',
  unavailable: 'needs conversations (issue: Conversations and media)',
};

export async function run() {
  throw new Error(`sfu-fanout: ${meta.unavailable}`);
}
