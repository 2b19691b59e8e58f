import type { Stream } from '../Stream.js';

/** Live local streams by id (`Stream.getStream`, `getLocalStreams`); a Stream removes itself on release. */
export const localStreams = new Map<number, Stream>();
