import nodeDataChannel, { type Audio, type PeerConnection, type RtcConfig, type Video } from 'node-datachannel';
import type { ForwardedCodec, MediaKind } from './codecs.js';
import type { MediaConfig } from './MediaConfig.js';

/**
 * Creates a node-datachannel PeerConnection with the SFU's ICE settings: host candidates on
 * every interface (or `bindAddress`), the configured UDP port range and ICE servers.
 * ICE, DTLS and SRTP run in libdatachannel's own threads; JavaScript sees only callbacks.
 */
export function createPeerConnection(name: string, config: MediaConfig, autoNegotiation: boolean): PeerConnection {
  const rtc: RtcConfig = { iceServers: [...config.iceServers], disableAutoNegotiation: !autoNegotiation };
  if (config.bindAddress !== undefined) rtc.bindAddress = config.bindAddress;
  if (config.portRange !== undefined) {
    rtc.portRangeBegin = config.portRange.min;
    rtc.portRangeEnd = config.portRange.max;
  }
  return new nodeDataChannel.PeerConnection(name, rtc);
}

/** libdatachannel direction names. */
export type NativeDirection = 'SendOnly' | 'RecvOnly' | 'Inactive';

/**
 * Builds a libdatachannel media description for one m-section. `codecs` pairs each forwarded
 * codec with the payload type to use on this connection.
 */
export function createMediaDescription(
  kind: MediaKind,
  mid: string,
  direction: NativeDirection,
  codecs: readonly { payloadType: number; codec: ForwardedCodec }[],
): Video | Audio {
  if (kind === 'audio') {
    const audio = new nodeDataChannel.Audio(mid, direction);
    for (const { payloadType } of codecs) audio.addOpusCodec(payloadType);
    return audio;
  }
  const video = new nodeDataChannel.Video(mid, direction);
  for (const { payloadType, codec } of codecs) {
    if (codec.name === 'H264') video.addH264Codec(payloadType);
    else video.addVP8Codec(payloadType);
  }
  return video;
}
