import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RecordingStore } from '../recording/RecordingStore.js';
import type { Database } from '../storage/Database.js';
import type { CliIo } from './runCli.js';
import { UsageError } from './UsageError.js';

/**
 * `parley recordings list [--json]` and `parley recordings delete MEDIA_ID...`: the composite
 * recordings of the data directory (docs/operations.md § Recording). Deleting removes the
 * metadata and the recording's folder (segments and MP4); a link already handed out stops working.
 */
export function recordingsCommand(db: Database, dataDir: string, sub: string | undefined, rest: string[], json: boolean, io: Pick<CliIo, 'stdout'>): number {
  const store = new RecordingStore(db);
  switch (sub) {
    case 'list': {
      if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
      const rows = store.list().map((r) => ({
        mediaId: r.mediaId,
        apiKey: r.apiKey,
        conversation: r.conversation,
        state: r.state,
        startedAt: new Date(r.startedAt).toISOString(),
        durationS: r.durationMs === null ? null : Math.round(r.durationMs / 100) / 10,
        sizeBytes: r.sizeBytes,
        file: join(dataDir, 'recordings', r.mediaId, r.fileName),
        ...(r.error !== null ? { error: r.error } : {}),
      }));
      if (json) io.stdout(JSON.stringify(rows, null, 2) + '\n');
      else {
        io.stdout(
          ['MEDIA-ID  STATE  KEY  CONVERSATION  STARTED  DURATION-S  BYTES  FILE']
            .concat(rows.map((r) => [r.mediaId, r.state, r.apiKey, r.conversation, r.startedAt, r.durationS ?? '-', r.sizeBytes ?? '-', r.file].join('  ')))
            .join('\n') + '\n',
        );
      }
      return 0;
    }
    case 'delete': {
      if (rest.length === 0) throw new UsageError('recordings delete needs at least one MEDIA_ID');
      let missing = 0;
      for (const mediaId of rest) {
        if (!/^\d+$/.test(mediaId) || !store.delete(mediaId)) {
          io.stdout(`no recording ${mediaId}\n`);
          missing++;
          continue;
        }
        rmSync(join(dataDir, 'recordings', mediaId), { recursive: true, force: true });
        io.stdout(`recording ${mediaId} deleted\n`);
      }
      return missing > 0 ? 1 : 0;
    }
    case undefined:
      throw new UsageError('recordings needs a subcommand: list or delete');
    default:
      throw new UsageError(`unknown recordings subcommand '${sub}'`);
  }
}
