import { describe, expect, test } from 'vitest';
import { PayloadReceiver, type ReceivedPayload } from './PayloadReceiver.js';
import type { TransferDone, TransferInformation } from './transfer.js';

function receiver() {
  const r = new PayloadReceiver();
  const payloads: ReceivedPayload[] = [];
  const progress: TransferInformation[] = [];
  const acks: TransferDone[] = [];
  const errors: string[] = [];
  const done = new Promise<void>((resolve) => {
    r.onPayload = (p) => {
      payloads.push(p);
      resolve();
    };
  });
  r.onProgress = (p) => progress.push(p);
  r.ack = (d) => acks.push(d);
  r.onError = (e) => errors.push(e.message);
  return { r, payloads, progress, acks, errors, done };
}

const header = (uuid: string, size: number, kind: 'text' | 'buffer' | 'blob', type = 'application/octet-stream') =>
  JSON.stringify({ t: 'begin', uuid, size, name: 'f.bin', type, kind });

describe('PayloadReceiver', () => {
  test('rebuilds a payload sent in chunks as a Blob of the announced type, with progress and an acknowledgement', async () => {
    const { r, payloads, progress, acks, done } = receiver();
    const bytes = new Uint8Array(10 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251;
    r.receive(header('1', bytes.length, 'blob'));
    for (let i = 0; i < bytes.length; i += 64 * 1024) r.receive(bytes.slice(i, i + 64 * 1024).buffer);
    await done;
    const blob = payloads[0]!.data as Blob;
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.type).toBe('application/octet-stream');
    // Compared as Buffers: a deep equality over ten million elements would take minutes.
    expect(Buffer.from(await blob.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    expect(progress).toHaveLength(160);
    expect(progress.at(-1)).toMatchObject({ uuid: '1', fileSize: bytes.length, remainingSize: 0, percentage: 100, sendChunkNb: 160, lastPacket: true });
    expect(progress[0]!.lastPacket).toBe(false);
    expect(acks).toEqual([{ t: 'done', uuid: '1' }]);
  });

  test('text and buffer payloads come back as a string and an ArrayBuffer; an empty payload completes at once', async () => {
    const text = receiver();
    const encoded = new TextEncoder().encode('héllo');
    text.r.receive(header('2', encoded.length, 'text', 'text/plain'));
    text.r.receive(encoded.buffer);
    await text.done;
    expect(text.payloads[0]!.data).toBe('héllo');

    const empty = receiver();
    empty.r.receive(header('3', 0, 'buffer'));
    await empty.done;
    expect(empty.payloads[0]!.data).toBeInstanceOf(ArrayBuffer);
    expect((empty.payloads[0]!.data as ArrayBuffer).byteLength).toBe(0);
  });

  test('out-of-sequence input fails the transfer instead of corrupting it', () => {
    const { r, errors, payloads } = receiver();
    r.receive(new ArrayBuffer(4));
    r.receive('not json');
    r.receive(JSON.stringify({ t: 'begin', uuid: '4', size: -1 }));
    r.receive(header('5', 2, 'blob'));
    r.receive(new ArrayBuffer(3));
    expect(errors).toEqual(['unexpected data on the channel', 'unreadable transfer header', 'invalid transfer header', 'unexpected data on the channel']);
    expect(payloads).toEqual([]);
  });
});
