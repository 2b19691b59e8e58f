// Loaded into the measured server (`node --expose-gc --import heap-probe.mjs main.js`) by the
// attack benchmark: on SIGUSR2 it runs a full garbage collection and prints one JSON line
// `{"heapProbe": process.memoryUsage()}` on stdout, so the benchmark can read the V8 heap of a
// process it does not otherwise control. Nothing else changes in the server.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  process.stdout.write(`${JSON.stringify({ heapProbe: process.memoryUsage() })}\n`);
});
