import type { Stream, RelayAction } from '../Stream.js';

/** Runs a relayed action on the publisher's local Stream. */
export async function runRelayAction(stream: Stream, action: RelayAction, args: unknown): Promise<unknown> {
  switch (action) {
    case 'applyConstraints':
      await stream.applyConstraints(args as object);
      return undefined;
    case 'getConstraints':
      return stream.getConstraints();
    case 'getSettings':
      return stream.getSettings();
    case 'getCapabilities':
      return stream.getCapabilities();
    case 'enableAudio':
      return stream.enableAudio();
    case 'disableAudio':
      return stream.disableAudio();
    case 'enableVideo':
      return stream.enableVideo();
    case 'disableVideo':
      return stream.disableVideo();
    case 'getAudioFlowStatus':
      return stream.getAudioFlowStatus();
    case 'getVideoFlowStatus':
      return stream.getVideoFlowStatus();
  }
}

/** Keys naming the capture devices of a page (track settings, constraints, capabilities). */
const DEVICE_KEYS = new Set(['deviceId', 'groupId']);

/**
 * A copy of a JSON value without `deviceId` / `groupId` keys at any depth: device ids never leave
 * the publisher's page through the relay. Plain JSON only (run {@link jsonSafe} first).
 */
export function withoutDeviceIds(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutDeviceIds);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!DEVICE_KEYS.has(key)) Object.defineProperty(out, key, { value: withoutDeviceIds(item), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A JSON round trip (drops functions, class instances become plain objects). */
export function jsonSafe(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return undefined;
  }
}

export function errorText(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'error' in err && err.error instanceof Error) return (err as { error: Error }).error.message;
  return String(err);
}

/**
 * The `{audio?, video?}` constraints of a `conv.constraintsChanged` event (the publisher's
 * `constraintsChanged` payload, relayed as JSON): other keys and non-object parts are dropped.
 */
export function constraintParts(value: unknown): { audio?: MediaTrackConstraints; video?: MediaTrackConstraints } {
  const out: { audio?: MediaTrackConstraints; video?: MediaTrackConstraints } = {};
  if (typeof value !== 'object' || value === null) return out;
  if ('audio' in value && typeof value.audio === 'object' && value.audio !== null) out.audio = value.audio;
  if ('video' in value && typeof value.video === 'object' && value.video !== null) out.video = value.video;
  return out;
}
