import { createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  StunAttr,
  attributeValue,
  decodeXorAddress,
  findAttribute,
  parseStun,
  readUsername,
  repairTiebreaker,
  resign,
  rewriteMappedAddress,
  verifyFingerprint,
  verifyIntegrity,
} from './stun.js';

// RFC 5769 §2.1 "Sample Request" (short-term credential, ICE attributes), as printed in the RFC.
const REQUEST = Buffer.from(
  '000100582112a442b7e7a701bc34d686fa87dfae802200105354554e20746573742063' +
    '6c69656e7400240004' +
    '6e0001ff80290008932ff9b151263b36000600096576746a3a6836765920202000080014' +
    '9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf',
  'hex',
);
// RFC 5769 §2.2 "Sample IPv4 Response": XOR-MAPPED-ADDRESS 192.0.2.1:32853.
const RESPONSE = Buffer.from(
  '0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220' +
    '002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7' +
    '80280004c07d4c96',
  'hex',
);
const PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';

/**
 * MESSAGE-INTEGRITY and FINGERPRINT computed here from the RFC's definitions, independently of
 * stun.ts: HMAC-SHA1 over the message up to the MI attribute with the length field counting up to
 * and including MI; CRC-32 over everything before FINGERPRINT, xor 0x5354554e.
 */
function independentlySigned(message: Buffer, key: string): Buffer {
  const out = Buffer.from(message);
  const miAt = out.length - 24 - 8; // MI then FINGERPRINT end both RFC samples
  const forMi = Buffer.from(out.subarray(0, miAt));
  forMi.writeUInt16BE(miAt + 24 - 20, 2);
  createHmac('sha1', key)
    .update(forMi)
    .digest()
    .copy(out, miAt + 4);
  const fpAt = out.length - 8;
  out.writeUInt32BE((crc32(out.subarray(0, fpAt)) ^ 0x5354554e) >>> 0, fpAt + 4);
  return out;
}

describe('STUN (RFC 5769 test vectors)', () => {
  test('parses the sample request and verifies its integrity and fingerprint', () => {
    const message = parseStun(REQUEST)!;
    expect(message.type).toBe(0x0001);
    expect(message.attributes.map((a) => a.type)).toEqual([
      0x8022,
      StunAttr.PRIORITY,
      StunAttr.ICE_CONTROLLED,
      StunAttr.USERNAME,
      StunAttr.MESSAGE_INTEGRITY,
      StunAttr.FINGERPRINT,
    ]);
    expect(readUsername(REQUEST, message)).toBe('evtj:h6vY');
    expect(verifyIntegrity(REQUEST, message, PASSWORD)).toBe(true);
    expect(verifyIntegrity(REQUEST, message, 'VOkJxbRl1RmTxUk/WvJxBT')).toBe(false);
    expect(verifyFingerprint(REQUEST, message)).toBe(true);
  });

  test('our signing of the vectors matches the RFC bytes, and so does the independent one', () => {
    const request = Buffer.from(REQUEST);
    request.fill(0, request.length - 28); // MI value and FINGERPRINT value gone …
    request.writeUInt16BE(StunAttr.FINGERPRINT, request.length - 8);
    request.writeUInt16BE(4, request.length - 6);
    const parsed = parseStun(request)!;
    resign(request, parsed, PASSWORD); // … and back
    expect(request.equals(REQUEST)).toBe(true);
    expect(independentlySigned(REQUEST, PASSWORD).equals(REQUEST)).toBe(true);
    expect(independentlySigned(RESPONSE, PASSWORD).equals(RESPONSE)).toBe(true);
  });

  test('a zero tiebreaker is replaced and the message re-signed exactly as an independently signed one', () => {
    const tiebreaker = Buffer.from('932ff9b151263b36', 'hex');
    const zeroed = Buffer.from(REQUEST);
    const controlled = findAttribute(parseStun(zeroed)!, StunAttr.ICE_CONTROLLED)!;
    zeroed.fill(0, controlled.start + 4, controlled.start + 12);
    const zeroSigned = independentlySigned(zeroed, PASSWORD);
    const message = parseStun(zeroSigned)!;
    expect(verifyIntegrity(zeroSigned, message, PASSWORD)).toBe(true);

    const repaired = repairTiebreaker(zeroSigned, message, tiebreaker, PASSWORD)!;
    // The RFC's own bytes: the tiebreaker restored and integrity/fingerprint recomputed for it.
    expect(repaired.equals(REQUEST)).toBe(true);
    expect(zeroSigned.equals(independentlySigned(zeroed, PASSWORD))).toBe(true); // the input is not modified

    const other = repairTiebreaker(zeroSigned, message, Buffer.from('0102030405060708', 'hex'), PASSWORD)!;
    expect(
      other.equals(
        independentlySigned(
          Buffer.concat([zeroSigned.subarray(0, controlled.start + 4), Buffer.from('0102030405060708', 'hex'), zeroSigned.subarray(controlled.start + 12)]),
          PASSWORD,
        ),
      ),
    ).toBe(true);
  });

  test('a nonzero tiebreaker is left alone', () => {
    expect(repairTiebreaker(REQUEST, parseStun(REQUEST)!, Buffer.alloc(8, 1), PASSWORD)).toBeUndefined();
  });

  test('the mapped address of a response is rewritten and re-signed', () => {
    const message = parseStun(RESPONSE)!;
    expect(decodeXorAddress(attributeValue(RESPONSE, findAttribute(message, StunAttr.XOR_MAPPED_ADDRESS)!))).toEqual({ address: '192.0.2.1', port: 32853 });
    const moved = rewriteMappedAddress(RESPONSE, message, '198.51.100.7', 40000, PASSWORD)!;
    const movedMessage = parseStun(moved)!;
    expect(decodeXorAddress(attributeValue(moved, findAttribute(movedMessage, StunAttr.XOR_MAPPED_ADDRESS)!))).toEqual({
      address: '198.51.100.7',
      port: 40000,
    });
    expect(verifyIntegrity(moved, movedMessage, PASSWORD)).toBe(true);
    expect(verifyFingerprint(moved, movedMessage)).toBe(true);
    // Back to the RFC's address gives the RFC's bytes.
    expect(rewriteMappedAddress(moved, movedMessage, '192.0.2.1', 32853, PASSWORD)!.equals(RESPONSE)).toBe(true);
  });

  test('anything that is not well-formed STUN is refused', () => {
    expect(parseStun(Buffer.alloc(0))).toBeUndefined();
    expect(parseStun(Buffer.from('80e0000100000000', 'hex'))).toBeUndefined(); // RTP-like
    const truncated = Buffer.from(REQUEST.subarray(0, 44));
    truncated.writeUInt16BE(24, 2);
    expect(parseStun(truncated)).toBeUndefined(); // last attribute runs past the end
    const wrongLength = Buffer.from(REQUEST);
    wrongLength.writeUInt16BE(0x50, 2);
    expect(parseStun(wrongLength)).toBeUndefined();
  });
});
