// Benchmark 2 of the benchmark issue (time to first frame). Not available yet: it needs
// conversations with SFU media. Replace `unavailable` with a `run(ctx)` (see signalling.mjs).
export const meta = {
  name: 'ttff',
  title: 'Time to first frame: join a conversation → first decoded remote video frame',
  unavailable: 'needs conversations (issue: Conversations and media)',
};

export async function run() {
  throw new Error(`ttff: ${meta.unavailable}`);
}
