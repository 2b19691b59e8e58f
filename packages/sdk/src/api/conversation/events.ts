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
  hangup: { from: 'local' | 'remote'; reason: string; streamId: number };
  localStreamUpdated: StreamUpdate;
  remoteStreamUpdated: StreamUpdate;
  message: { sender: Contact; sender_id: string; content: string; time: Date; metadata?: object; uuid: number };
  data: { sender: Contact; content: unknown };
  customEvent: { event: string; sender: Contact; content: object };
  disconnectionWarning: { streamInfo: StreamInfo };
  error: { errorCode: string; errorInfo: string; descriptor: { transport: string } };
  roomModeChanged: { oldMode: 'sfu' | 'mesh'; newMode: 'sfu' | 'mesh'; state: 'ongoing' | 'complete' };
}

/** Emits one Conversation event, typed by name (the conversation parts report through it). */
export type ConversationEmit = <K extends keyof ConversationEvents>(
  name: K,
  ...payload: ConversationEvents[K] extends undefined ? [] : [ConversationEvents[K]]
) => void;
