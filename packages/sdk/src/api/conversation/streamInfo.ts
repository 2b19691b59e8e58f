import type { StreamDescriptor } from '@parley/protocol';
import type { Contact } from '../Contact.js';

/** StreamInfo (docs/sdk-reference.md#streaminfo): a published stream as announced by `streamListChanged`. */
export interface StreamInfo {
  streamId: number;
  listEventType?: 'added' | 'removed' | 'updated';
  isRemote: boolean;
  contact: Contact;
  type?: 'regular' | 'composite' | 'replay';
  callId?: string;
  hasAudio?: boolean;
  hasVideo?: boolean;
  isAudioMuted?: boolean;
  isVideoMuted?: boolean;
  isScreensharing?: boolean;
  context?: object;
}

/**
 * Builds the StreamInfo of an announced stream. `contact` is the session's unique Contact of the
 * publisher (a Contact for the local id for the user's own streams, which are `isRemote: false`).
 */
export function toStreamInfo(
  d: StreamDescriptor,
  selfId: string,
  contact: (id: string) => Contact,
  listEventType?: 'added' | 'removed' | 'updated',
): StreamInfo {
  const info: StreamInfo = {
    streamId: d.streamId,
    isRemote: d.publisherId !== selfId,
    contact: contact(d.publisherId),
    type: 'regular',
    callId: d.callId,
    hasAudio: d.hasAudio,
    hasVideo: d.hasVideo,
    isAudioMuted: d.isAudioMuted,
    isVideoMuted: d.isVideoMuted,
    isScreensharing: d.isScreensharing,
  };
  if (listEventType) info.listEventType = listEventType;
  if (d.context) info.context = d.context;
  return info;
}

/** A stream id given as a number or a numeric string; NaN otherwise. */
export function toStreamId(id: unknown): number {
  if (typeof id === 'number') return id;
  if (typeof id === 'string' && /^\s*\d+\s*$/.test(id)) return Number(id);
  return Number.NaN;
}
