/** Up to two initials for an avatar: "Ada Lovelace" → "AL", "bob" → "B", "" → "?". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...(words[0] as string)][0] ?? '';
  const last = words.length > 1 ? ([...(words[words.length - 1] as string)][0] ?? '') : '';
  return (first + last).toUpperCase();
}

/**
 * A stable hue (0–359) for a user id, so a person keeps their colour everywhere. FNV-1a spread
 * by the golden angle, so ids that differ by one character (101, 102) still look different.
 */
export function hueFor(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return Math.floor((hash * 137.508) % 360);
}
