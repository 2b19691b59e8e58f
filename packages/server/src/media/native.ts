import type { Track } from 'node-datachannel';

/**
 * The part of node-datachannel's `Track` the media plane uses. Typed structurally so unit tests
 * can pass a fake.
 *
 * node-datachannel facts this code relies on (verified with 0.33.4):
 * - `onMessage` delivers each inbound RTP *and* RTCP packet as a fresh `Buffer` the callee owns
 *   (no media handler attached: an `RtcpReceivingSession` would swallow the RTCP, SRs included);
 * - `sendMessageBinary` copies the bytes synchronously, so a buffer may be rewritten and sent
 *   again right after; it throws "Track is not open" before DTLS is up;
 * - a wrapper that is garbage-collected closes its track: keep every wrapper referenced.
 */
export type NativeTrack = Pick<Track, 'mid' | 'isOpen' | 'sendMessageBinary' | 'onMessage' | 'onOpen' | 'onClosed' | 'onError' | 'close'>;
