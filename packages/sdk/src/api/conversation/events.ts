import type { ApiRTCError } from '../../util/errors.js';
import type { RecordingInfo } from '@parley/protocol';
import type { CallStats } from '../../quality/callStats.js';
import type { CloudMediaInfo } from '../cloud/CloudMediaInfo.js';
import type { Contact } from '../Contact.js';
import type { Stream } from '../Stream.js';
import type { StreamInfo } from './streamInfo.js';

/** `localStreamUpdated` / `remoteStreamUpdated` payload. */
export interface StreamUpdate {
  callId: string;
  streamId: number;
  audio: boolean;
  audioMuted: boolean;
  video: boolean;
  videoMuted: boolean;
  cause: 'userAction';
}

/**
 * Conversation `message` payload: a group chat message from another participant. A type alias, not
 * an interface, so that it stays assignable to `Record<string, unknown>` like the other payloads.
 */
export type ConversationMessage = {
  sender: Contact;
  sender_id: string;
  content: string;
  time: Date;
  uuid: number;
  metadata?: object;
};

/**
 * The Conversation events Parley emits, with their payloads (`undefined`: no payload). The other
 * apiRTC names of `Conversation.getAvailableEvents()` are accepted by `on()` but not emitted yet.
 */
export interface ConversationEvents {
  streamListChanged: StreamInfo;
  streamAdded: Stream;
  streamRemoved: Stream;
  availableStreamsUpdated: { [streamId: string]: StreamInfo };
  contactJoined: Contact;
  contactLeft: Contact;
  contactJoinedWaitingRoom: Contact;
  contactLeftWaitingRoom: Contact;
  joined: undefined;
  left: undefined;
  entryAllowed: undefined;
  entryDenied: undefined;
  /** An allowEntry/denyEntry answer sent with `{ackEnabled: true}` did not reach the server (it refused it or the request failed). */
  messageNotDelivered: { error: ApiRTCError; contact: Contact; command: 'allowEntry' | 'denyEntry' };
  waitingForModeratorAcceptance: Contact;
  moderatorConnected: Contact;
  participantEjected: { self: true; reason?: string } | { self: false; contact: Contact };
  hangup: { from: 'local' | 'remote'; reason: string; streamId: number };
  localStreamUpdated: StreamUpdate;
  remoteStreamUpdated: StreamUpdate;
  message: ConversationMessage;
  /** apiRTC's payload; Parley keeps a stream's id when its media is replaced, so it is not emitted today. */
  remoteStreamIdUpdated: { callId: string; oldStreamId: number; newStreamId: number };
  data: { sender: Contact; content: unknown };
  customEvent: { event: string; sender: Contact; content: object };
  disconnectionWarning: { streamInfo: StreamInfo };
  error: { errorCode: string; errorInfo: string; descriptor: { transport: string } };
  roomModeChanged: { oldMode: 'sfu' | 'mesh'; newMode: 'sfu' | 'mesh'; state: 'ongoing' | 'complete' };
  recordingStarted: RecordingInfo;
  recordingStopped: RecordingInfo;
  recordingAvailable: RecordingInfo;
  /** A published or subscribed stream started or stopped speaking (`descriptor`: apiRTC's deprecated duplicate). */
  audioAmplitude: { streamId: number; callId: string; amplitude: number; isSpeaking: boolean; descriptor: { amplitude: number; isSpeaking: boolean } };
  /** SFU simulcast: the quality forwarded to this subscriber changed (frame rate is always the full one). */
  simulcastFeedChanged: { streamId: number; callId: string; simulcast: { streamQuality: 'high' | 'medium' | 'low'; streamFrameRate: 'high' } };
  /** Parley extension, SFU only: the server's dominant speaker (loudest audio by RFC 6464 levels) changed. */
  dominantSpeakerChanged: { streamId: number; contact: Contact };
  /** Statistics of one stream over the last monitoring interval; mesh entries name the peer connection's user. */
  callStatsUpdate: { streamId: number; callId: string; stats: CallStats; mesh?: true; userId?: string; contact?: Contact };
  /** `pushData` (docs/sdk-reference.md#pushdata-and-cloud-media): queued, started, progressing, done. */
  transferPending: { id: string; name: string; rank: number };
  transferBegun: { id: string; name: string };
  transferProgress: { id: string; name: string; size: number; remBytes: number; percentage: number };
  transferEnded: { id: string; name: string };
  /** Another participant's pushData completed. */
  newMediaAvailable: { sender: Contact; media: CloudMediaInfo };
}

/** Emits one Conversation event, typed by name (the conversation parts report through it). */
export type ConversationEmit = <K extends keyof ConversationEvents>(
  name: K,
  ...payload: ConversationEvents[K] extends undefined ? [] : [ConversationEvents[K]]
) => void;
