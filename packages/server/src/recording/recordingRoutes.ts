import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { parseByteRange } from '../util/byteRange.js';
import type { RecordingService } from './RecordingService.js';

/** Path of a recording file: `/media/recordings/<mediaId>/<fileName>?exp=…&sig=…`. */
export const RECORDING_PATH = '/media/recordings';

/**
 * `GET|HEAD /media/recordings/:mediaId/:file`: the composed MP4 for whoever holds a valid signed
 * URL (403 otherwise, 404 while it is not ready), with byte ranges so a `<video>` can seek.
 */
export function registerRecordingRoutes(app: FastifyInstance, recordings: RecordingService): void {
  app.get<{ Params: { mediaId: string; file: string }; Querystring: { exp?: string; sig?: string } }>(
    `${RECORDING_PATH}/:mediaId/:file`,
    async (request, reply) => {
      reply.header('Cache-Control', 'private, no-store');
      const { mediaId, file } = request.params;
      const { exp, sig } = request.query;
      const found = recordings.authorise(mediaId, file, Number(exp), typeof sig === 'string' ? sig : '');
      if (found === 'forbidden') return reply.code(403).type('text/plain; charset=utf-8').send('invalid or expired recording link\n');
      if (found === 'notReady') return reply.code(404).type('text/plain; charset=utf-8').send('recording not available (yet)\n');
      let size: number;
      try {
        size = (await stat(found.path)).size;
      } catch {
        return reply.code(404).type('text/plain; charset=utf-8').send('recording file missing\n');
      }
      reply.header('Accept-Ranges', 'bytes').header('Content-Type', found.audioOnly ? 'audio/mp4' : 'video/mp4');
      reply.header('Content-Disposition', `inline; filename="${file}"`);
      const range = parseByteRange(request.headers.range, size);
      if (range.kind === 'unsatisfiable') return reply.code(416).header('Content-Range', `bytes */${size}`).send();
      if (range.kind === 'whole') return reply.code(200).header('Content-Length', size).send(createReadStream(found.path));
      return reply
        .code(206)
        .header('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
        .header('Content-Length', range.end - range.start + 1)
        .send(createReadStream(found.path, { start: range.start, end: range.end }));
    },
  );
}
