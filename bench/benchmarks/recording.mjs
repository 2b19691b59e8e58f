// Slot for a recording benchmark (server-side recording of a conversation: CPU and disk per
// recorded stream vs a plain ffmpeg remux of the same media). Not available yet: it needs
// conversations and recording. Replace `unavailable` with a `run(ctx)` (see signalling.mjs).
export const meta = {
  name: 'recording',
  title: 'Recording: CPU and bytes per recorded stream vs a plain remux of the same media',
  unavailable: 'needs conversations (issue: Conversations and media) and recording',
};

export async function run() {
  throw new Error(`recording: ${meta.unavailable}`);
}
