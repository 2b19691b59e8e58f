import { log } from '../../util/Logger.js';
import { progressOf, type TransferDone, type TransferHeader, type TransferInformation } from './transfer.js';

/** Received bytes are gathered into a Blob part once this many are waiting (Blobs may live on disk). */
const PART_BYTES = 4 * 1024 * 1024;

/** A complete payload, rebuilt as the sender's kind asked. */
export interface ReceivedPayload {
  uuid: string;
  name: string;
  type: string;
  data: string | ArrayBuffer | Blob;
}

interface Incoming {
  header: TransferHeader;
  parts: Blob[];
  pending: ArrayBuffer[];
  pendingBytes: number;
  received: number;
  chunks: number;
  start: number;
}

/**
 * Rebuilds the transfers arriving on a channel (see transfer.ts for the framing). Bytes are kept as
 * Blob parts of a few MiB, never as one growing buffer, so a 100 MB file costs no more than that
 * in script memory. A message out of sequence (bytes without a header, more bytes than announced)
 * fails the transfer.
 */
export class PayloadReceiver {
  #current: Incoming | null = null;
  onProgress: (info: TransferInformation) => void = () => undefined;
  onPayload: (payload: ReceivedPayload, info: TransferInformation) => void = () => undefined;
  onError: (error: Error) => void = () => undefined;
  /** Sends the acknowledgement back to the sender. */
  ack: (done: TransferDone) => void = () => undefined;

  /** Handles one channel message. */
  receive(data: string | ArrayBuffer): void {
    if (typeof data === 'string') {
      this.#begin(data);
      return;
    }
    const current = this.#current;
    if (!current || current.received + data.byteLength > current.header.size) {
      this.#fail('unexpected data on the channel');
      return;
    }
    current.pending.push(data);
    current.pendingBytes += data.byteLength;
    current.received += data.byteLength;
    current.chunks++;
    if (current.pendingBytes >= PART_BYTES) this.#flush(current);
    const info = progressOf(current.header.uuid, current.header.size, current.received, current.chunks, current.start);
    this.onProgress(info);
    if (current.received === current.header.size) void this.#complete(current, info);
  }

  #begin(text: string): void {
    let header: TransferHeader;
    try {
      header = JSON.parse(text) as TransferHeader;
    } catch {
      this.#fail('unreadable transfer header');
      return;
    }
    if (header?.t !== 'begin' || typeof header.uuid !== 'string' || !Number.isSafeInteger(header.size) || header.size < 0) {
      this.#fail('invalid transfer header');
      return;
    }
    const current: Incoming = { header, parts: [], pending: [], pendingBytes: 0, received: 0, chunks: 0, start: Date.now() };
    this.#current = current;
    if (header.size === 0) void this.#complete(current, progressOf(header.uuid, 0, 0, 0, current.start));
  }

  #flush(current: Incoming): void {
    if (current.pending.length === 0) return;
    current.parts.push(new Blob(current.pending));
    current.pending = [];
    current.pendingBytes = 0;
  }

  async #complete(current: Incoming, info: TransferInformation): Promise<void> {
    this.#current = null;
    this.#flush(current);
    const { header } = current;
    const blob = new Blob(current.parts, { type: header.type });
    let data: string | ArrayBuffer | Blob = blob;
    try {
      if (header.kind === 'text') data = await blob.text();
      else if (header.kind === 'buffer') data = await blob.arrayBuffer();
    } catch (err) {
      log.error('received data could not be read', err);
      this.onError(new Error('could not read the data received'));
      return;
    }
    this.ack({ t: 'done', uuid: header.uuid });
    this.onPayload({ uuid: header.uuid, name: header.name, type: header.type, data }, info);
  }

  #fail(message: string): void {
    this.#current = null;
    this.onError(new Error(message));
  }
}
