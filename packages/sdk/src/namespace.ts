import { ApplyAudioProcessorError } from './api/ApplyAudioProcessorError.js';
import { ApplyVideoProcessorError } from './api/ApplyVideoProcessorError.js';
import { Call } from './api/Call.js';
import { Conference } from './api/Conference.js';
import { Contact } from './api/Contact.js';
import { Conversation } from './api/Conversation.js';
import { ConversationCall } from './api/ConversationCall.js';
import { DataChannel } from './api/DataChannel.js';
import { DROP_CONNECTION } from './api/internal.js';
import { Invitation } from './api/invitations/Invitation.js';
import { ReceivedCallInvitation } from './api/invitations/ReceivedCallInvitation.js';
import { ReceivedConversationInvitation } from './api/invitations/ReceivedConversationInvitation.js';
import { ReceivedConversationJoinRequest } from './api/invitations/ReceivedConversationJoinRequest.js';
import { ReceivedDataChannelInvitation } from './api/invitations/ReceivedDataChannelInvitation.js';
import { ReceivedFileTransferInvitation } from './api/invitations/ReceivedFileTransferInvitation.js';
import { ReceivedInvitation } from './api/invitations/ReceivedInvitation.js';
import { ReceivedPointerSharingInvitation } from './api/invitations/ReceivedPointerSharingInvitation.js';
import { ReceivedRemoteAccessInvitation } from './api/invitations/ReceivedRemoteAccessInvitation.js';
import { ReceivedWhiteboardInvitation } from './api/invitations/ReceivedWhiteboardInvitation.js';
import { SentInvitation } from './api/invitations/SentInvitation.js';
import { SentRemoteAccessInvitation } from './api/invitations/SentRemoteAccessInvitation.js';
import { MediaDevice } from './media/MediaDevice.js';
import { Observable } from './api/Observable.js';
import { ApiCCWhiteBoardClient } from './api/p2/ApiCCWhiteBoardClient.js';
import { BrowserCapabilities } from './api/p2/BrowserCapabilities.js';
import { CloudApi } from './api/p2/CloudApi.js';
import { Enterprise } from './api/p2/Enterprise.js';
import { EventCenter } from './api/p2/EventCenter.js';
import { EventEmitter } from './api/p2/EventEmitter.js';
import { PointerSharingRoom } from './api/p2/PointerSharingRoom.js';
import { Session } from './api/Session.js';
import { Stream } from './api/Stream.js';
import { UserAgent, eventCenter } from './api/UserAgent.js';
import { UserData } from './api/UserData.js';
import * as constants from './constants.js';
import { livePeerConnections } from './media/pcUtil.js';
import { runtime } from './runtime.js';
import { setLogLevel } from './util/Logger.js';
import { isWebRTCCompliant, platform } from './util/platform.js';
import { throwNotSupported } from './util/unsupported.js';
import { API_VERSION, PARLEY_VERSION } from './version.js';

/** Every class of the apiRTC namespace (docs/sdk-reference.md#loading-and-exports), including the declarations-only ones. */
export const classes = {
  Observable,
  UserAgent,
  MediaDevice,
  Session,
  Contact,
  UserData,
  Conversation,
  Conference,
  ConversationCall,
  Stream,
  ApplyAudioProcessorError,
  ApplyVideoProcessorError,
  Call,
  DataChannel,
  Invitation,
  SentInvitation,
  ReceivedInvitation,
  ReceivedConversationInvitation,
  ReceivedCallInvitation,
  ReceivedFileTransferInvitation,
  ReceivedDataChannelInvitation,
  ReceivedConversationJoinRequest,
  ReceivedWhiteboardInvitation,
  ReceivedPointerSharingInvitation,
  SentRemoteAccessInvitation,
  ReceivedRemoteAccessInvitation,
  Enterprise,
  CloudApi,
  ApiCCWhiteBoardClient,
  PointerSharingRoom,
  EventCenter,
  EventEmitter,
  BrowserCapabilities,
};

/** `apiRTC.utils` (P2). */
export const utils = { EventEmitter, EventCenter };

/**
 * Parley additions for tests and diagnostics (documented in docs/sdk.md). `dropConnection()`
 * closes the signalling socket of every live session of the page exactly as a network loss would,
 * so the reconnection path runs; it returns false when no session was connected.
 */
export const debug = {
  dropConnection(): boolean {
    const session = runtime.userAgentInstance?.getCurrentSession();
    return session ? session[DROP_CONNECTION]() : false;
  },
  /**
   * Every live RTCPeerConnection the SDK created on this page (conversation publisher/subscriber
   * PCs, mesh pair PCs), e.g. to read inbound-rtp `framesDecoded` with `getStats()`.
   */
  peerConnections(): RTCPeerConnection[] {
    return [...livePeerConnections];
  },
};

/** P2 legacy event bus used by two old examples: accepts any name and never fires. */
export function addEventListener(_name: string, _listener: (...args: unknown[]) => void): void {}

/** P2 legacy v3 initialisation: not supported. */
export function init(_opts?: object): void {
  throwNotSupported('init');
}

/** Parley's own version and the apiRTC version, as namespace values. */
export const version = API_VERSION;
export const parleyVersion = PARLEY_VERSION;

/** Browser description values of the namespace (docs/sdk-reference.md#globals-and-browser-description). */
export const browser = platform.browser;
export const browser_version = platform.browser_version;
export const browser_major_version = platform.browser_major_version;
export const osName = platform.osName;
export const osVersion = platform.osVersion;
export const deviceType = platform.deviceType;
/** WebRTC available on this page (P2). */
export const webRTCCompliant = isWebRTCCompliant();
/** Internal singleton of apiRTC (P2); nothing to load on Parley. */
export const resourcesLoader = {};

/**
 * The namespace object: `window.apiRTC` (classic script) and the default export (ESM). Building it
 * has no side effect: no connection, no media, no DOM access.
 */
export const apiRTC = {
  version,
  parleyVersion,
  setLogLevel,
  ...constants,
  ...classes,
  /** Legacy `apiRTC.session` (`apiCCId`, presence group mirrors). */
  session: runtime.legacySession,
  browser,
  browser_version,
  browser_major_version,
  osName,
  osVersion,
  deviceType,
  webRTCCompliant,
  utils,
  addEventListener,
  init,
  eventCenter,
  resourcesLoader,
  debug,
  /** The last constructed UserAgent; undefined until one exists (docs/sdk-reference.md#globals-and-browser-description). */
  get userAgentInstance(): UserAgent | undefined {
    return runtime.userAgentInstance;
  },
  set userAgentInstance(ua: UserAgent | undefined) {
    runtime.userAgentInstance = ua;
  },
};

/** Type of the namespace object. */
export type ApiRTCNamespace = typeof apiRTC;
