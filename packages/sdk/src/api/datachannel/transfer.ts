import type { PeerChannel } from './PeerChannel.js';

/** Bytes per data channel message (well under every browser's message size limit). */
export const CHUNK_BYTES = 64 * 1024;
/** Bytes read from the source Blob at once, then sent as several chunks. */
const READ_BYTES = 16 * CHUNK_BYTES;

/** Progress payload of apiRTC (`transferProgress`, `progress`, `fileTransferProgress.transferInformation`). */
export interface TransferInformation {
  uuid: string;
  fileSize: number;
  remainingSize: number;
  percentage: number;
  sendChunkNb: number;
  transferDuration: number;
  lastPacket: boolean;
}

/** How the receiver rebuilds the payload: a string, an ArrayBuffer, or a Blob (files). */
export type PayloadKind = 'text' | 'buffer' | 'blob';

/** First message of a transfer (JSON text); the payload's bytes follow as binary messages. */
export interface TransferHeader {
  t: 'begin';
  uuid: string;
  size: number;
  name: string;
  type: string;
  kind: PayloadKind;
}

/** The receiver's acknowledgement of a complete payload. */
export interface TransferDone {
  t: 'done';
  uuid: string;
}

/** Turns what apps hand to `sendData` / `sendFile` into a Blob and the kind to rebuild. Null for anything else. */
export function toBlob(data: unknown, type = ''): { blob: Blob; kind: PayloadKind } | null {
  if (typeof data === 'string') return { blob: new Blob([data], { type }), kind: 'text' };
  if (typeof Blob !== 'undefined' && data instanceof Blob) return { blob: data, kind: 'blob' };
  if (data instanceof ArrayBuffer) return { blob: new Blob([data], { type }), kind: 'buffer' };
  if (ArrayBuffer.isView(data)) {
    const copy = new Uint8Array(data.byteLength);
    copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return { blob: new Blob([copy], { type }), kind: 'buffer' };
  }
  return null;
}

/** Progress after `done` of `size` bytes in `chunks` messages since `start`. */
export function progressOf(uuid: string, size: number, done: number, chunks: number, start: number): TransferInformation {
  return {
    uuid,
    fileSize: size,
    remainingSize: size - done,
    percentage: size === 0 ? 100 : Math.floor((done * 100) / size),
    sendChunkNb: chunks,
    transferDuration: Date.now() - start,
    lastPacket: done >= size,
  };
}

/**
 * Sends `blob` as one transfer: a header, then its bytes read a slice at a time (never the whole
 * payload in memory) and sent with the channel's back-pressure. `progress` follows every chunk;
 * `stopped()` is checked before each read, so a cancelled transfer ends within one slice.
 */
export async function sendPayload(
  channel: PeerChannel,
  header: Omit<TransferHeader, 't' | 'size'>,
  blob: Blob,
  progress: (info: TransferInformation) => void,
  stopped: () => boolean,
): Promise<void> {
  const size = blob.size;
  const start = Date.now();
  const begin: TransferHeader = { t: 'begin', size, ...header };
  await channel.send(JSON.stringify(begin));
  let sent = 0;
  let chunks = 0;
  if (size === 0) progress(progressOf(header.uuid, 0, 0, 0, start));
  while (sent < size) {
    if (stopped()) throw new Error('transfer stopped');
    const slice = await blob.slice(sent, Math.min(size, sent + READ_BYTES)).arrayBuffer();
    for (let offset = 0; offset < slice.byteLength; offset += CHUNK_BYTES) {
      const chunk = slice.slice(offset, Math.min(slice.byteLength, offset + CHUNK_BYTES));
      await channel.send(chunk);
      sent += chunk.byteLength;
      chunks++;
      progress(progressOf(header.uuid, size, sent, chunks, start));
    }
  }
}
