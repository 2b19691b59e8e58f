import type { CloudMedia } from '@parley/protocol';

/**
 * A file stored in a conversation by `pushData` (apiRTC CloudMediaInfo): `url` downloads it (a
 * signed, expiring link the server gave this participant; `conversation.getMedia(url)` fetches it
 * as a Blob), `id` names it. Parley adds what the server knows of it.
 */
export interface CloudMediaInfo {
  id: string;
  /** Absolute download URL. */
  url: string;
  name: string;
  /** MIME type given at upload. */
  type: string;
  /** Bytes. */
  size: number;
  /** Id of the participant who uploaded it. */
  senderId: string;
  /** Upload time. */
  time: Date;
  metadata?: object;
}

/** The SDK's CloudMediaInfo for a media the server described; `baseUrl` makes its path absolute. */
export function cloudMediaInfo(baseUrl: string, m: CloudMedia): CloudMediaInfo {
  return {
    id: m.id,
    url: new URL(m.url, baseUrl).href,
    name: m.name,
    type: m.mimeType,
    size: m.size,
    senderId: m.from,
    time: new Date(m.time),
    ...(m.metadata ? { metadata: m.metadata } : {}),
  };
}
