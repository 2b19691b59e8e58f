/** Outcome of reading a `Range` header against a file of `size` bytes (RFC 9110 §14). */
export type ByteRange =
  /** No usable range: send the whole file (200). Multi-range and non-byte units land here too. */
  | { kind: 'whole' }
  /** One satisfiable range, inclusive bounds: 206 with `Content-Range: bytes start-end/size`. */
  | { kind: 'partial'; start: number; end: number }
  /** Syntactically valid but outside the file: 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' };

const SPEC = /^bytes=(\d*)-(\d*)$/;

/**
 * Reads a single-range `Range` header. A header that is absent, malformed, asks several ranges
 * or another unit is ignored (the whole file is an allowed answer to all of these), so only a
 * well-formed range past the end gets 416.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return { kind: 'whole' };
  const m = SPEC.exec(header.trim().replace(/\s+/g, ''));
  if (!m) return { kind: 'whole' };
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // Suffix range: the last N bytes.
    const n = Number(last);
    if (!Number.isSafeInteger(n)) return { kind: 'whole' };
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start)) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  if (last === '') return { kind: 'partial', start, end: size - 1 };
  const end = Number(last);
  if (!Number.isSafeInteger(end) || end < start) return { kind: 'whole' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}
