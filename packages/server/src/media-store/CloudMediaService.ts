import { randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CloudMedia, ErrorCode, ParleyError, type RequestOf, type UnsequencedEvent } from '@parley/protocol';
import type { CloudMediaConfig } from '../config/Config.js';
import type { Logger } from '../logging/logger.js';
import type { HandlerTable } from '../session/RequestHandler.js';
import type { UserSession } from '../session/UserSession.js';
import { CloudMediaStore, type StoredMedia } from './CloudMediaStore.js';
import { UploadError } from './UploadError.js';
import { UrlSigner } from './UrlSigner.js';

/** Path prefix of uploads: `PUT <prefix><ticket>`. */
export const UPLOAD_PATH = '/api/v1/media/upload/';
/** Upload tickets one session may hold unused at once (code 14 beyond). */
const MAX_TICKETS_PER_SESSION = 8;
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** Dependencies of {@link CloudMediaService}. */
export interface CloudMediaServiceDeps {
  /** None when cloud media is disabled. */
  store: CloudMediaStore | undefined;
  config: CloudMediaConfig;
  /** Signs download URLs (a server secret: URLs outlive a restart). */
  urlSecret: Buffer;
  /** Whether `session` is a participant of conversation `name` of its tenant. */
  isParticipant(session: UserSession, name: string): boolean;
  /** Sends `event` to the other participants of conversation `name`. */
  announce(session: UserSession, name: string, event: UnsequencedEvent): void;
  log: Logger;
}

interface Ticket {
  session: UserSession;
  conversation: string;
  name: string;
  mimeType: string;
  size: number;
  metadata: Record<string, unknown> | undefined;
  expiresAt: number;
}

export type CloudRequestType = 'cloud.pushTicket' | 'cloud.list';

/**
 * Cloud media of conversations (apiRTC `pushData`): a participant asks for a single-use upload
 * ticket over the socket (`cloud.pushTicket`: size and type checked there), then `PUT`s the bytes
 * to {@link UPLOAD_PATH}`<ticket>`; {@link receive} streams them to a temporary file, renames it into
 * the store when exactly the announced size arrived, and announces the media (`cloud.newMedia`)
 * to the other participants. Downloads use signed, expiring URLs ({@link UrlSigner}) that only
 * participants are given (`cloud.newMedia`, `cloud.list`).
 */
export class CloudMediaService {
  readonly #deps: CloudMediaServiceDeps;
  readonly signer: UrlSigner;
  readonly #tickets = new Map<string, Ticket>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(deps: CloudMediaServiceDeps) {
    this.#deps = deps;
    this.signer = new UrlSigner(deps.urlSecret, deps.config.urlTtlSeconds);
    if (!deps.store) return;
    this.#prune();
    this.#timer = setInterval(() => this.#prune(), PRUNE_INTERVAL_MS);
    this.#timer.unref();
  }

  /** The store (undefined when disabled). */
  get store(): CloudMediaStore | undefined {
    return this.#deps.store;
  }

  readonly handlers: HandlerTable<CloudRequestType> = {
    'cloud.pushTicket': (session, request) => this.#ticket(session, request),
    'cloud.list': (session, request) => {
      const store = this.#enabledStore();
      if (!this.#deps.isParticipant(session, request.conversation)) throw new ParleyError(ErrorCode.UNAUTHORIZED, 'not a participant of this conversation');
      return { media: store.list(session.apiKey, request.conversation).map((m) => this.toWire(m)) };
    },
  };

  /**
   * Receives the body of an upload for `token` (single use: a second PUT finds no ticket).
   * @throws UploadError with the HTTP status to answer; nothing is left on disk then
   */
  async receive(token: string, body: Readable, contentLength: number | undefined): Promise<CloudMedia> {
    const store = this.#deps.store;
    const ticket = this.#tickets.get(token);
    this.#tickets.delete(token);
    if (!store || !ticket || ticket.expiresAt < Date.now()) throw new UploadError(404, 'unknown or expired upload ticket');
    if (!this.#deps.isParticipant(ticket.session, ticket.conversation)) throw new UploadError(403, 'no longer a participant of the conversation');
    if (contentLength !== undefined && contentLength !== ticket.size) {
      throw new UploadError(contentLength > ticket.size ? 413 : 400, `body is not the announced ${ticket.size} bytes`);
    }
    const tmp = store.tempPath();
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        if (received > ticket.size) done(new UploadError(413, `body is larger than the announced ${ticket.size} bytes`));
        else done(null, chunk);
      },
    });
    const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(body, counter, out);
      if (received !== ticket.size) throw new UploadError(400, `body is shorter than the announced ${ticket.size} bytes`);
    } catch (error) {
      // A write stream destroyed while its file is still being opened creates the file after
      // the failure (seen on a loaded machine): remove it once the stream has closed.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      rmSync(tmp, { force: true });
      throw error instanceof UploadError ? error : new UploadError(400, 'upload interrupted');
    }
    const media: StoredMedia = {
      id: CloudMediaStore.newId(),
      apiKey: ticket.session.apiKey,
      conversation: ticket.conversation,
      from: ticket.session.userId,
      name: ticket.name,
      mimeType: ticket.mimeType,
      size: ticket.size,
      time: Date.now(),
      ...(ticket.metadata !== undefined ? { metadata: ticket.metadata } : {}),
    };
    try {
      renameSync(tmp, store.filePath(media.id));
      store.insert(media);
    } catch (error) {
      rmSync(tmp, { force: true });
      rmSync(store.filePath(media.id), { force: true });
      this.#deps.log.error({ err: error }, 'could not store an upload');
      throw new UploadError(500, 'could not store the file');
    }
    const wire = this.toWire(media);
    this.#deps.announce(ticket.session, ticket.conversation, { type: 'cloud.newMedia', conversation: ticket.conversation, media: wire });
    return wire;
  }

  /** The record as participants get it, with a fresh signed URL. */
  toWire(media: StoredMedia): CloudMedia {
    const { id, name, mimeType, size, from, time, metadata } = media;
    return { id, name, mimeType, size, from, time, url: this.signer.path(id), ...(metadata !== undefined ? { metadata } : {}) };
  }

  /** Stops pruning and forgets tickets; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#tickets.clear();
  }

  #ticket(session: UserSession, request: RequestOf<'cloud.pushTicket'>): { uploadPath: string; expiresAt: number } {
    this.#enabledStore();
    const { config } = this.#deps;
    if (!this.#deps.isParticipant(session, request.conversation)) throw new ParleyError(ErrorCode.WRONG_STATE, 'conversation not joined');
    if (request.size > config.maxFileBytes) throw new ParleyError(ErrorCode.BAD_PARAMETER, `file larger than ${config.maxFileBytes} bytes`);
    if (!typeAllowed(request.mimeType, config.allowedTypes)) throw new ParleyError(ErrorCode.BAD_PARAMETER, `file type ${request.mimeType} not allowed`);
    const now = Date.now();
    let held = 0;
    for (const [token, t] of this.#tickets) {
      if (t.expiresAt < now || t.session.ended) this.#tickets.delete(token);
      else if (t.session === session) held++;
    }
    if (held >= MAX_TICKETS_PER_SESSION) throw new ParleyError(ErrorCode.NOT_ALLOWED, 'too many uploads pending');
    const token = randomBytes(24).toString('base64url');
    const expiresAt = now + config.ticketTtlMs;
    this.#tickets.set(token, {
      session,
      conversation: request.conversation,
      name: request.name,
      mimeType: request.mimeType,
      size: request.size,
      metadata: request.metadata,
      expiresAt,
    });
    return { uploadPath: UPLOAD_PATH + token, expiresAt };
  }

  #enabledStore(): CloudMediaStore {
    if (!this.#deps.store) throw new ParleyError(ErrorCode.OTHER, 'cloud media is disabled on this server');
    return this.#deps.store;
  }

  #prune(): void {
    try {
      const deleted = this.#deps.store?.prune() ?? 0;
      if (deleted > 0) this.#deps.log.info({ deleted }, 'cloud media past retention deleted');
    } catch (error) {
      this.#deps.log.error({ err: error }, 'could not prune cloud media');
    }
  }
}

/** Whether `mimeType` (parameters ignored) matches one of `allowed` (`a/b`, `a/*`, `*\/*`). */
export function typeAllowed(mimeType: string, allowed: readonly string[]): boolean {
  const [family, subtype] = (mimeType.split(';')[0] ?? '').trim().toLowerCase().split('/');
  return allowed.some((pattern) => {
    const [f, s] = pattern.toLowerCase().split('/');
    return (f === '*' || f === family) && (s === '*' || s === subtype);
  });
}
