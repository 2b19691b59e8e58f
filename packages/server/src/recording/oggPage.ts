/* Ogg pages (RFC 3533) for the Opus capture files (RFC 7845). */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial value 0). */
export function oggCrc(data: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < data.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ data[i]!) & 0xff]!) >>> 0;
  return crc;
}

/** Header type flags of a page. */
export const OggFlags = { CONTINUED: 1, FIRST: 2, LAST: 4 } as const;

/** One page holding exactly one packet (< 64 KiB), with its checksum. */
export function oggPage(packet: Uint8Array, granule: bigint, serial: number, sequence: number, flags: number): Buffer {
  const lacing: number[] = [];
  let left = packet.length;
  while (left >= 255) {
    lacing.push(255);
    left -= 255;
  }
  lacing.push(left);
  const page = Buffer.alloc(27 + lacing.length + packet.length);
  page.write('OggS', 0, 'latin1');
  page[4] = 0;
  page[5] = flags;
  page.writeBigUInt64LE(granule, 6);
  page.writeUInt32LE(serial >>> 0, 14);
  page.writeUInt32LE(sequence >>> 0, 18);
  page[26] = lacing.length;
  for (let i = 0; i < lacing.length; i++) page[27 + i] = lacing[i]!;
  page.set(packet, 27 + lacing.length);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

/** The identification header of an Opus stream (RFC 7845 §5.1): stereo, 48 kHz, no pre-skip. */
export function opusHead(): Buffer {
  const b = Buffer.alloc(19);
  b.write('OpusHead', 0, 'latin1');
  b[8] = 1;
  b[9] = 2;
  b.writeUInt16LE(0, 10);
  b.writeUInt32LE(48000, 12);
  b.writeInt16LE(0, 16);
  b[18] = 0;
  return b;
}

/** The comment header (RFC 7845 §5.2) with `vendor` and no comments. */
export function opusTags(vendor: string): Buffer {
  const v = Buffer.from(vendor, 'utf8');
  const b = Buffer.alloc(8 + 4 + v.length + 4);
  b.write('OpusTags', 0, 'latin1');
  b.writeUInt32LE(v.length, 8);
  v.copy(b, 12);
  b.writeUInt32LE(0, 12 + v.length);
  return b;
}
