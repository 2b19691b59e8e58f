import type { CloudMedia } from '@parley/protocol';
import { ERROR_BAD_PARAMETER, ERROR_NOT_ALLOWED, ERROR_OPERATION_CANCELED, ERROR_OTHER, ERROR_UNAUTHORIZED } from '../../constants.js';
import { RequestError } from '../../engine/RequestError.js';
import { apiError, type ApiRTCError } from '../../util/errors.js';
import { type CloudMediaInfo, cloudMediaInfo } from '../cloud/CloudMediaInfo.js';
import type { ConversationContext } from './context.js';
import type { ConversationEmit } from './events.js';

/** `pushData` argument: a File/Blob, or bytes with their name and type (apiRTC descriptors). */
export interface PushDataDescriptor {
  /** A File (its name is the default `filename`) or any Blob. */
  file?: Blob & { name?: string };
  buffer?: ArrayBuffer | ArrayBufferView;
  filename?: string;
  filetype?: string;
  metadata?: object;
}

interface Transfer {
  id: string;
  name: string;
  type: string;
  body: Blob;
  metadata: Record<string, unknown> | undefined;
  resolve(media: CloudMediaInfo): void;
  reject(error: ApiRTCError): void;
  /** Set while uploading: aborts the HTTP request. */
  abort?: () => void;
  canceled: boolean;
}

/**
 * Cloud media of one conversation (docs/sdk-reference.md#pushdata-and-cloud-media): `pushData`
 * uploads one file at a time (later calls wait, `transferPending`), each through a ticket from the
 * server (`cloud.pushTicket`) and an HTTP `PUT` with progress (`transferBegun`, `transferProgress`,
 * `transferEnded`); `cancelPushData` drops a waiting upload or aborts the running one (the server
 * removes the partial file). Announcements from others become `newMediaAvailable`.
 */
export class ConversationCloud {
  readonly #ctx: ConversationContext;
  readonly #name: string;
  readonly #emit: ConversationEmit;
  readonly #joined: () => boolean;
  readonly #queue: Transfer[] = [];
  #running: Transfer | null = null;
  #nextId = 1;

  constructor(ctx: ConversationContext, name: string, emit: ConversationEmit, joined: () => boolean) {
    this.#ctx = ctx;
    this.#name = name;
    this.#emit = emit;
    this.#joined = joined;
  }

  /** Queues an upload; resolves its CloudMediaInfo once stored. */
  push(data: PushDataDescriptor | undefined): Promise<CloudMediaInfo> {
    const body = bodyOf(data);
    if (!body) return Promise.reject(apiError(ERROR_BAD_PARAMETER, 'pushData() - missing file'));
    if (!this.#joined()) return Promise.reject(apiError(ERROR_OTHER, 'pushData() - A - cannot push data : conversation not joined'));
    const file = data?.file;
    const name = String(data?.filename ?? file?.name ?? 'file');
    const type = String(data?.filetype ?? (body.type || 'application/octet-stream'));
    const metadata = data?.metadata && typeof data.metadata === 'object' ? (data.metadata as Record<string, unknown>) : undefined;
    return new Promise((resolve, reject) => {
      const transfer: Transfer = { id: `${Date.now()}-${this.#nextId++}`, name, type, body, metadata, resolve, reject, canceled: false };
      this.#queue.push(transfer);
      if (this.#running) this.#emit('transferPending', { id: transfer.id, name, rank: this.#queue.length });
      else void this.#drain();
    });
  }

  /** Cancels a waiting or running upload by transfer id. */
  cancel(id: unknown): Promise<void> {
    const waiting = this.#queue.findIndex((t) => t.id === id);
    if (waiting >= 0) {
      const [transfer] = this.#queue.splice(waiting, 1);
      transfer?.reject(apiError(ERROR_OPERATION_CANCELED, 'pushData() - push data canceled'));
      return Promise.resolve();
    }
    const running = this.#running;
    if (running && running.id === id && !running.canceled) {
      running.canceled = true;
      running.abort?.();
      return Promise.resolve();
    }
    return Promise.reject(apiError(ERROR_OTHER, 'cancelPushData() - no such push data'));
  }

  /** Stored media of the conversation, oldest first. */
  async list(): Promise<CloudMediaInfo[]> {
    try {
      const data = await this.#ctx.request({ type: 'cloud.list', conversation: this.#name });
      return (data?.media ?? []).map((m) => cloudMediaInfo(this.#ctx.baseUrl(), m));
    } catch (err) {
      throw serverError('fetchMediaList() - failed to get media list', err);
    }
  }

  /** A `cloud.newMedia` from the server: another participant's upload. */
  onNewMedia(media: CloudMedia): void {
    this.#emit('newMediaAvailable', { sender: this.#ctx.contact(media.from), media: cloudMediaInfo(this.#ctx.baseUrl(), media) });
  }

  async #drain(): Promise<void> {
    while (!this.#running && this.#queue.length > 0) {
      const transfer = this.#queue.shift() as Transfer;
      this.#running = transfer;
      try {
        transfer.resolve(await this.#upload(transfer));
      } catch (err) {
        transfer.reject(err as ApiRTCError);
      } finally {
        this.#running = null;
      }
    }
  }

  async #upload(t: Transfer): Promise<CloudMediaInfo> {
    let uploadPath: string;
    try {
      const ticket = await this.#ctx.request({
        type: 'cloud.pushTicket',
        conversation: this.#name,
        name: t.name,
        mimeType: t.type,
        size: t.body.size,
        ...(t.metadata ? { metadata: t.metadata } : {}),
      });
      uploadPath = ticket?.uploadPath ?? '';
    } catch (err) {
      throw serverError('pushData() - B - cannot push data', err);
    }
    if (t.canceled) throw apiError(ERROR_OPERATION_CANCELED, 'pushData() - push data canceled');
    this.#emit('transferBegun', { id: t.id, name: t.name });
    const media = await this.#put(t, new URL(uploadPath, this.#ctx.baseUrl()).href);
    this.#emit('transferEnded', { id: t.id, name: t.name });
    return cloudMediaInfo(this.#ctx.baseUrl(), media);
  }

  /** The HTTP upload, by XMLHttpRequest: fetch() reports no upload progress. */
  #put(t: Transfer, url: string): Promise<CloudMedia> {
    return new Promise((resolve, reject) => {
      // Canceled from a transferBegun listener, before the request existed.
      if (t.canceled) {
        reject(apiError(ERROR_OPERATION_CANCELED, 'pushData() - push data canceled'));
        return;
      }
      const xhr = new XMLHttpRequest();
      t.abort = () => xhr.abort();
      xhr.open('PUT', url);
      xhr.setRequestHeader('Content-Type', t.type);
      xhr.responseType = 'json';
      const size = t.body.size;
      xhr.upload.onprogress = (e) => {
        const percentage = size === 0 ? 100 : Math.floor((e.loaded / size) * 100);
        this.#emit('transferProgress', { id: t.id, name: t.name, size, remBytes: Math.max(0, size - e.loaded), percentage });
      };
      xhr.onload = () => {
        const body = xhr.response as { media?: CloudMedia; error?: string } | null;
        if (xhr.status === 201 && body?.media) resolve(body.media);
        else
          reject(
            apiError(xhr.status === 413 ? ERROR_BAD_PARAMETER : ERROR_OTHER, `pushData() - C - cannot push data : ${body?.error ?? `HTTP ${xhr.status}`}`),
          );
      };
      xhr.onabort = () => reject(apiError(ERROR_OPERATION_CANCELED, 'pushData() - push data canceled'));
      xhr.onerror = () => reject(apiError(ERROR_OTHER, 'pushData() - D - cannot push data : network error'));
      xhr.send(t.body);
    });
  }
}

/** The bytes of a pushData descriptor as a Blob, or undefined when it holds none. */
function bodyOf(data: PushDataDescriptor | undefined): Blob | undefined {
  if (!data || typeof data !== 'object') return undefined;
  if (data.file instanceof Blob) return data.file;
  if (data.buffer instanceof ArrayBuffer || ArrayBuffer.isView(data.buffer)) {
    if (typeof data.filename !== 'string' || typeof data.filetype !== 'string') return undefined;
    return new Blob([data.buffer as BlobPart], { type: data.filetype });
  }
  return undefined;
}

/** A server refusal keeps its code when it is the caller's doing (4 not a participant, 9 bad file, 14 limit), else 0. */
function serverError(prefix: string, err: unknown): ApiRTCError {
  if (err instanceof RequestError && err.kind === 'answer') {
    const code = err.code === ERROR_BAD_PARAMETER || err.code === ERROR_NOT_ALLOWED || err.code === ERROR_UNAUTHORIZED ? err.code : ERROR_OTHER;
    return apiError(code, `${prefix} : ${err.message}`, err);
  }
  return apiError(ERROR_OTHER, prefix, err);
}

/** `conversation.getMedia(url)`: the file as a Blob. */
export async function getMedia(url: unknown): Promise<Blob> {
  if (typeof url !== 'string' || url === '') throw apiError(ERROR_BAD_PARAMETER, 'getMedia() - mediaURL must be a string');
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw apiError(ERROR_OTHER, 'getMedia() - cannot get media : network error', err);
  }
  if (!response.ok) throw apiError(ERROR_OTHER, `getMedia() - cannot get media : HTTP ${response.status}`);
  return response.blob();
}
