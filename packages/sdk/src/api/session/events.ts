import type { Contact } from '../Contact.js';
import type { ContactListUpdate } from '../ContactCatalog.js';
import type { Call } from '../Call.js';
import type { Conversation } from '../Conversation.js';
import type { ReceivedCallInvitation } from '../invitations/ReceivedCallInvitation.js';
import type { ReceivedConversationInvitation } from '../invitations/ReceivedConversationInvitation.js';
import type { ReceivedDataChannelInvitation } from '../invitations/ReceivedDataChannelInvitation.js';
import type { ReceivedFileTransferInvitation } from '../invitations/ReceivedFileTransferInvitation.js';

/** Opaque payload of the connection events (apps must not rely on fields). */
export interface ConnectionEvent {
  type: string;
  reason?: string;
}

/** Session events and payloads (docs/sdk-reference.md#session); 1-1 call and P2 payloads arrive with their features. */
export interface SessionEvents {
  contactListUpdate: ContactListUpdate;
  contactData: { sender: Contact; content: unknown };
  contactMessage: { sender: Contact; content: string; uuid: number; time: Date };
  customEvent: { event: string; content: unknown; sender: Contact; conversation?: Conversation };
  disconnect: ConnectionEvent;
  error: ConnectionEvent;
  reconnecting: ConnectionEvent;
  reconnection: ConnectionEvent;
  incomingCall: ReceivedCallInvitation;
  incomingScreenSharingCall: Call;
  incomingScreenSharingCallInvitation: ReceivedCallInvitation;
  fileTransferInvitation: ReceivedFileTransferInvitation;
  dataChannelInvitation: ReceivedDataChannelInvitation;
  conversationInvitation: ReceivedConversationInvitation;
}

/** Session event names in apiRTC order. */
export const SESSION_EVENTS: readonly string[] = [
  'rawData',
  'whiteboardInvitation',
  'fileTransferInvitation',
  'conversationMessage',
  'conversationData',
  'dataChannelInvitation',
  'contactMessage',
  'contactData',
  'customEvent',
  'conversationInvitation',
  'incomingCall',
  'disconnect',
  'error',
  'contactListUpdate',
  'reconnecting',
  'reconnection',
  'conversationJoinRequest',
  'newMediaAvailableFromContact',
  'whiteboardRoomMemberUpdate',
  'incomingScreenSharingCall',
  'pointerSharingInvitation',
  'pointerLocationChanged',
  'incomingScreenSharingCallInvitation',
  'cloudEventOccurred',
  'remoteAccessInvitation',
];
