/**
 * Whether the JSON text `text` nests arrays and objects deeper than `max` levels, found by one
 * linear scan that counts `[` and `{` outside strings (escapes inside strings are skipped).
 *
 * Runs before `JSON.parse`: V8 parses a 20,000-deep frame without complaint, but every later
 * `JSON.stringify` or recursive walk of it overflows the stack, possibly inside a timer where
 * nothing catches it. The scan does not validate the JSON (the parser does that next); on
 * malformed text its answer only has to be safe, not meaningful.
 */
export function exceedsDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}
