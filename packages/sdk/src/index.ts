/**
 * ESM entry (`dist/parley.mjs`, `parley-sdk`): the default export is the apiRTC namespace object;
 * every value of the namespace is also a named export (the state holders `userAgentInstance` and
 * `session` only live on the namespace). Importing opens no connection and touches no media.
 */
import { apiRTC } from './namespace.js';
import { setScriptUrl } from './util/scriptUrl.js';

// The SDK's default server is the origin it was loaded from (docs/sdk.md, base URL rule).
setScriptUrl(import.meta.url);

export default apiRTC;

// Constants only (statuses, error codes, log levels, timings, identifiers): one module, no classes.
export * from './constants.js';

export { ApplyAudioProcessorError } from './api/ApplyAudioProcessorError.js';
export { ApplyVideoProcessorError } from './api/ApplyVideoProcessorError.js';
export { Call } from './api/Call.js';
export { Conference } from './api/Conference.js';
export { Contact } from './api/Contact.js';
export { Conversation } from './api/Conversation.js';
export { ConversationCall } from './api/ConversationCall.js';
export { DataChannel } from './api/DataChannel.js';
export { Invitation } from './api/invitations/Invitation.js';
export { ReceivedCallInvitation } from './api/invitations/ReceivedCallInvitation.js';
export { ReceivedConversationInvitation } from './api/invitations/ReceivedConversationInvitation.js';
export { ReceivedConversationJoinRequest } from './api/invitations/ReceivedConversationJoinRequest.js';
export { ReceivedDataChannelInvitation } from './api/invitations/ReceivedDataChannelInvitation.js';
export { ReceivedFileTransferInvitation } from './api/invitations/ReceivedFileTransferInvitation.js';
export { ReceivedInvitation } from './api/invitations/ReceivedInvitation.js';
export { ReceivedPointerSharingInvitation } from './api/invitations/ReceivedPointerSharingInvitation.js';
export { ReceivedRemoteAccessInvitation } from './api/invitations/ReceivedRemoteAccessInvitation.js';
export { ReceivedWhiteboardInvitation } from './api/invitations/ReceivedWhiteboardInvitation.js';
export { SentInvitation } from './api/invitations/SentInvitation.js';
export { SentRemoteAccessInvitation } from './api/invitations/SentRemoteAccessInvitation.js';
export { MediaDevice } from './media/MediaDevice.js';
export { Observable } from './api/Observable.js';
export { ApiCCWhiteBoardClient } from './api/p2/ApiCCWhiteBoardClient.js';
export { BrowserCapabilities } from './api/p2/BrowserCapabilities.js';
export { CloudApi } from './api/p2/CloudApi.js';
export { Enterprise } from './api/p2/Enterprise.js';
export { EventCenter } from './api/p2/EventCenter.js';
export { EventEmitter } from './api/p2/EventEmitter.js';
export { PointerSharingRoom } from './api/p2/PointerSharingRoom.js';
export { Session } from './api/Session.js';
export { Stream } from './api/Stream.js';
export { UserAgent, eventCenter } from './api/UserAgent.js';
export { UserData } from './api/UserData.js';
export { setLogLevel } from './util/Logger.js';
export {
  addEventListener,
  browser,
  browser_major_version,
  browser_version,
  debug,
  deviceType,
  init,
  osName,
  osVersion,
  parleyVersion,
  resourcesLoader,
  utils,
  version,
  webRTCCompliant,
} from './namespace.js';

export type { ApiRTCNamespace } from './namespace.js';
export type { RegisterInformation } from './api/registration.js';
export type { UserAgentOptions, UserAgentEvents } from './api/UserAgent.js';
export type { SessionEvents } from './api/Session.js';
export type { ContactEvents, ContactMessage } from './api/Contact.js';
export type { ContactListUpdate } from './api/ContactCatalog.js';
export type { ConversationMessage, ConversationOptions, StreamInfo } from './api/Conversation.js';
// apiRTC's names for option types, imported by apps and libraries such as @apirtc/react-lib.
export type { ConversationOptions as GetOrCreateConversationOptions, JoinOptions } from './api/conversation/options.js';
export type { PublishOptions } from './api/conversation/PublicationSet.js';
export type { VideoProcessorOptions } from './api/stream/ProcessorHost.js';
export type { StreamEvents, MediaStreamTrackFlowStatus } from './api/Stream.js';
export type { CreateStreamOptions } from './media/constraints.js';
export type { MediaDeviceList, MediaDeviceChange } from './media/DeviceManager.js';
export type { SnapshotOptions } from './media/snapshot.js';
export type { ApiRTCError } from './util/errors.js';
