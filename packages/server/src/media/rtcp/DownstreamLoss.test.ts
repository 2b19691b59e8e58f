import { describe, expect, test } from 'vitest';
import { DOWNSTREAM_LOSS_WINDOW_MS, DownstreamLoss } from './DownstreamLoss.js';
import { REPORT_BLOCK_LENGTH, reportedFractionLost, SR_LENGTH, writeReceiverReportHeader } from './reports.js';
import { writeU32 } from '../rtp/RtpPacket.js';

/** An RR (or SR when `sr`) from sender 0x5e with one block per [ssrc, fraction]. */
function report(blocks: [number, number][], sr = false): Uint8Array {
  const head = sr ? SR_LENGTH : 8;
  const buf = new Uint8Array(head + blocks.length * REPORT_BLOCK_LENGTH);
  writeReceiverReportHeader(buf, 0, 0x5e, blocks.length);
  if (sr) {
    buf[1] = 200;
    const words = buf.length / 4 - 1;
    buf[2] = words >>> 8;
    buf[3] = words & 0xff;
  }
  blocks.forEach(([ssrc, fraction], i) => {
    const at = head + i * REPORT_BLOCK_LENGTH;
    writeU32(buf, at, ssrc);
    buf[at + 4] = fraction;
    buf[at + 7] = 9; // cumulative lost, must not be read as the fraction
  });
  return buf;
}

describe('reportedFractionLost', () => {
  test('finds the block about the SSRC in a receiver report', () => {
    const rr = report([
      [0x1111, 3],
      [0x2222, 51],
    ]);
    expect(reportedFractionLost(rr, 0, rr.length, 0x2222)).toBe(51);
    expect(reportedFractionLost(rr, 0, rr.length, 0x1111)).toBe(3);
    expect(reportedFractionLost(rr, 0, rr.length, 0x3333)).toBe(-1);
  });

  test('reads the blocks after the sender info of a sender report', () => {
    const sr = report([[0x2222, 26]], true);
    expect(reportedFractionLost(sr, 0, sr.length, 0x2222)).toBe(26);
  });

  test('a block count larger than the packet is not read past its end; other packet types give -1', () => {
    const rr = report([[0x2222, 51]]);
    rr[0] = 0x80 | 5;
    expect(reportedFractionLost(rr, 0, rr.length, 0x9999)).toBe(-1);
    const pli = new Uint8Array([0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0x22, 0x22]);
    expect(reportedFractionLost(pli, 0, pli.length, 0x2222)).toBe(-1);
  });
});

describe('DownstreamLoss', () => {
  test('keeps the worst recent report, forgets it after the window', () => {
    const loss = new DownstreamLoss();
    expect(loss.current(0)).toBe(0);
    loss.note(13, 1000);
    loss.note(40, 1500);
    loss.note(5, 2000); // a better subscriber does not hide the worse one
    expect(loss.current(2000)).toBe(40);
    expect(loss.current(1500 + DOWNSTREAM_LOSS_WINDOW_MS + 1)).toBe(0);
    // Past the window a lower report replaces the stale worst.
    loss.note(5, 1500 + DOWNSTREAM_LOSS_WINDOW_MS + 2);
    expect(loss.current(1500 + DOWNSTREAM_LOSS_WINDOW_MS + 2)).toBe(5);
  });
});
