import type { FlowStatus, TrackKind, TrackParts } from '../../media/TrackSet.js';

/** `{enabled, muted}` of a track kind. */
export type MediaStreamTrackFlowStatus = FlowStatus;
type Kind = TrackKind;
type Parts<T> = TrackParts<T>;

/** Stream events and payloads (docs/sdk-reference.md#stream). */
export interface StreamEvents {
  stopped: { streamId: number; userMediaStreamId?: number; callId?: string };
  trackStopped: { type: Kind; id: string; reason: string };
  audioAmplitude: number;
  audioAmplitudeInfo: { amplitude: number; isSpeaking: boolean };
  muteStateChange: object;
  activeStateChange: object;
  backgroundSubstractionStopVisibilityChange: object;
  backgroundSubstractionStopComputeTime: object;
  AIESnapshot: object;
  AIELog: object;
  flowStatusChanged: MediaStreamTrackFlowStatus & { type: Kind };
  audioFlowStatusChanged: MediaStreamTrackFlowStatus;
  videoFlowStatusChanged: MediaStreamTrackFlowStatus;
  remoteAudioFlowStatusChanged: MediaStreamTrackFlowStatus;
  remoteVideoFlowStatusChanged: MediaStreamTrackFlowStatus;
  release: { streamId: number; userMediaStreamId: number };
  constraintsChanged: Parts<MediaTrackConstraints>;
}

/** Stream event names in apiRTC order. */
export const STREAM_EVENTS: readonly string[] = [
  'stopped',
  'trackStopped',
  'audioAmplitude',
  'audioAmplitudeInfo',
  'muteStateChange',
  'activeStateChange',
  'backgroundSubstractionStopVisibilityChange',
  'backgroundSubstractionStopComputeTime',
  'AIESnapshot',
  'AIELog',
  'flowStatusChanged',
  'audioFlowStatusChanged',
  'videoFlowStatusChanged',
  'remoteAudioFlowStatusChanged',
  'remoteVideoFlowStatusChanged',
  'release',
  'constraintsChanged',
];

/** How a remote Stream reaches its publisher (provided by the Conversation that subscribed). */
export interface RemoteLink {
  /** Runs `action` on the published stream through the publisher's SDK (`conv.relay`); resolves its result. */
  relay(action: RelayAction, args?: unknown): Promise<unknown>;
}

/** Construction data of a remote (subscribed) Stream. */
export interface RemoteStreamInit {
  streamId: number;
  callId: string;
  link: RemoteLink;
  /** The publisher's choice (StreamInfo `isAudioMuted` / `isVideoMuted` negated). */
  audioEnabled: boolean;
  videoEnabled: boolean;
  screensharing: boolean;
}

/** Operations relayed to a publisher (protocol `RelayAction`). */
export type RelayAction =
  | 'applyConstraints'
  | 'getConstraints'
  | 'getSettings'
  | 'getCapabilities'
  | 'enableAudio'
  | 'disableAudio'
  | 'enableVideo'
  | 'disableVideo'
  | 'getAudioFlowStatus'
  | 'getVideoFlowStatus';

/** SDK-internal: `stream[REMOTE_STATE](audioEnabled, videoEnabled)` records the publisher's new choice. */
export const REMOTE_STATE: unique symbol = Symbol('parley.remoteState');
