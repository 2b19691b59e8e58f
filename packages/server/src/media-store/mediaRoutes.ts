import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { CloudMediaService } from './CloudMediaService.js';
import { UploadError } from './UploadError.js';

/**
 * HTTP side of cloud media: `PUT /api/v1/media/upload/<ticket>` (the body streamed to disk, never
 * buffered whole: this scope's content-type parser hands the raw request on untouched) and
 * `GET /api/v1/media/<id>?exp&sig` (signed URL, served as an attachment).
 */
export function mediaRoutes(app: FastifyInstance, service: CloudMediaService): void {
  void app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null, undefined));

    scope.put<{ Params: { ticket: string } }>('/api/v1/media/upload/:ticket', async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      const header = request.headers['content-length'];
      const length = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
      try {
        const media = await service.receive(request.params.ticket, request.raw, length);
        return await reply.code(201).send({ media });
      } catch (error) {
        const refusal = error instanceof UploadError ? error : new UploadError(500, 'upload failed');
        if (refusal.status === 500) request.log.error({ err: error }, 'upload failed');
        // The client may still be sending: close the connection rather than read the rest.
        if (!request.raw.complete) reply.header('Connection', 'close');
        return reply.code(refusal.status).send({ error: refusal.message });
      }
    });

    scope.get<{ Params: { id: string }; Querystring: { exp?: string; sig?: string } }>('/api/v1/media/:id', async (request, reply) => {
      reply.header('Cache-Control', 'private, no-store');
      const { id } = request.params;
      const media = service.signer.verify(id, request.query.exp, request.query.sig) ? service.store?.get(id) : undefined;
      if (!media) return reply.code(404).send({ error: 'no such media, or the link expired' });
      return (
        reply
          .header('Content-Type', media.mimeType)
          .header('Content-Length', String(media.size))
          .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(media.name)}`)
          // Served from the app's origin: never run as a page.
          .header('Content-Security-Policy', "sandbox; default-src 'none'")
          .send(createReadStream(service.store?.filePath(id) ?? ''))
      );
    });
    done();
  });
}
