/** Random identifiers in the formats of docs/sdk-reference.md#identifiers. */

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random lowercase alphanumeric string of `length` characters (usernames `guest-…`). */
export function randomString(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUM[Math.floor(Math.random() * ALPHANUM.length)];
  return out;
}

/**
 * A random safe integer (< 2^53) with at least 13 digits, so that stream ids and call ids look like
 * apiRTC's (apps put them unquoted into HTML attributes and element ids).
 */
export function randomSafeInteger(): number {
  // 2^53 - 10^12 spread above 10^12 keeps every value at 13+ digits and below MAX_SAFE_INTEGER.
  return 1e12 + Math.floor(Math.random() * (Number.MAX_SAFE_INTEGER - 1e12));
}

/** A random numeric-string id (callIds, invitation ids). */
export function randomNumericId(): string {
  return String(randomSafeInteger());
}
