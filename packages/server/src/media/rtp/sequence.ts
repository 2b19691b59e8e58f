/**
 * Serial-number arithmetic for 16-bit RTP sequence numbers (RFC 3550 §A.1, RFC 1982).
 */

/** Signed distance `a - b` in the 16-bit sequence space, in [-32768, 32767]. */
export function seqDiff(a: number, b: number): number {
  return (((a - b) & 0xffff) << 16) >> 16;
}

/** True when `a` comes after `b` (modulo 2^16). */
export function seqNewer(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

/** A random 32-bit value (RFC 3550 wants random initial sequence numbers, timestamps, SSRCs). */
export function random32(): number {
  return (Math.random() * 0x1_0000_0000) >>> 0;
}

/** A random non-zero SSRC. */
export function randomSsrc(): number {
  let ssrc = 0;
  while (ssrc === 0) ssrc = random32();
  return ssrc;
}
