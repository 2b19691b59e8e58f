// Slot for the recording benchmark: the encoding speed of a conversation's composite (every
// participant's video in one layout, mixed audio) as a multiple of real time, measured while the
// SFU keeps forwarding (sfu-fanout's publisher and load clients can provide that traffic), with
// the server's CPU per recorded minute. Not available yet: Parley has no recording. Replace
// `unavailable` with a `run(ctx)` (see signalling.mjs) when it does.
export const meta = {
  name: 'recording',
  title: 'Recording: composite encoding speed (× real time) while forwarding goes on',
  unavailable: 'needs server-side recording, which is not built yet',
};

export async function run() {
  throw new Error(`recording: ${meta.unavailable}`);
}
