import { ErrorCode, ParleyError } from '@parley/protocol';

/** Keys that identify the publisher's capture devices (MediaTrackSettings / constraints / capabilities). */
const DEVICE_KEYS = new Set(['deviceId', 'groupId']);
/** Deeper than any settings/constraints object; beyond it the value is refused rather than walked. */
const MAX_DEPTH = 32;

/**
 * A copy of a relay result without `deviceId` / `groupId` keys at any depth. The publisher's SDK
 * already strips them; this is the second line, for a modified or older SDK, so that device ids
 * never reach another participant through the server.
 * @throws ParleyError code 9 when the value is nested deeper than {@link MAX_DEPTH}
 */
export function withoutDeviceIds(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) throw new ParleyError(ErrorCode.BAD_PARAMETER, 'relay result nested too deeply');
  if (Array.isArray(value)) return value.map((item) => withoutDeviceIds(item, depth + 1));
  // No prototype: a `__proto__` key of parsed JSON stays an ordinary key.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) {
    if (!DEVICE_KEYS.has(key)) out[key] = withoutDeviceIds(item, depth + 1);
  }
  return out;
}
