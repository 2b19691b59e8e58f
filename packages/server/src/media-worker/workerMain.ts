/*
 * Entry of a media worker process (forked by media/worker/WorkerPool, see docs/media-plane.md § Media
 * workers): one in-process SFU driven over the IPC channel. The SFU options come as JSON in
 * PARLEY_MEDIA_WORKER_OPTIONS. The worker ends when its parent goes away (IPC disconnect), so a
 * killed server never leaves media processes holding ports.
 */
import type { MediaWorkerEvent, SfuOptionsWire } from '../media/worker/wire.js';
import { Sfu } from '../media/Sfu.js';
import { parseCommand, parseEvent } from '../media/worker/channel.js';
import { WorkerHost } from './WorkerHost.js';

const send = (event: MediaWorkerEvent): void => {
  if (!process.connected) return;
  process.send?.(parseEvent(event));
};
const errorSink = (error: unknown, event: string): void => {
  process.stderr.write(
    `media worker ${process.pid}: listener of '${event}' threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
};

const options = JSON.parse(process.env.PARLEY_MEDIA_WORKER_OPTIONS ?? '{}') as SfuOptionsWire;
const host = new WorkerHost(new Sfu(options, undefined, errorSink), send);

process.on('message', (raw: unknown) => {
  try {
    host.handle(parseCommand(raw));
  } catch (error) {
    process.stderr.write(`media worker ${process.pid}: ${(error as Error).message}\n`);
  }
});
process.on('disconnect', () => {
  void host.close().finally(() => process.exit(0));
});
process.on('SIGTERM', () => {
  void host.close().finally(() => process.exit(0));
});
send({ ev: 'ready', pid: process.pid });
