/** How much of an oversized frame is scanned for its id. */
export const PEEK_LIMIT = 4096;

/**
 * Finds the top-level `"id": <integer>` of a JSON object without parsing it (used on frames
 * too large to parse). Looks at the first {@link PEEK_LIMIT} characters only; returns
 * undefined when the id is not among them.
 */
export function peekRequestId(text: string): number | undefined {
  const end = Math.min(text.length, PEEK_LIMIT);
  let depth = 0;
  let i = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const close = stringEnd(text, i, end);
      if (close < 0) return undefined;
      if (depth === 1 && close - i === 3 && text.startsWith('"id"', i)) {
        const match = /^\s*:\s*(\d{1,16})\s*[,}]/.exec(text.slice(close + 1, close + 40));
        if (match) {
          const id = Number(match[1]);
          return Number.isSafeInteger(id) ? id : undefined;
        }
      }
      i = close + 1;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth++;
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
    i++;
  }
  return undefined;
}

/** Index of the quote closing the string opened at `start`, or -1. */
function stringEnd(text: string, start: number, end: number): number {
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}
