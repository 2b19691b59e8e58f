/**
 * Every SDK member that is not supported by Parley yet (docs/sdk-reference.md, "Members not
 * supported yet"), with how it fails: `reject` for members that return a promise, `throw` for
 * synchronous ones. api-surface.e2e.test.ts calls each one in Chromium and checks that it fails
 * with code 0 and `<method>() - not supported by Parley yet`. A member that gets implemented leaves
 * this list (and the reference's list) in the same change.
 *
 * Instances: the live UserAgent, Session, Contact, Stream and a joined Conversation of the page;
 * every other class is constructed with no arguments (ConversationCall with the live conversation
 * and stream).
 */
export interface NotSupportedMember {
  cls: string;
  method: string;
  kind: 'reject' | 'throw';
  /** Arguments that get past the member's own parameter checks. */
  args?: unknown[];
  /** A static method, called on the class. */
  static?: true;
}

const r = (cls: string, methods: string[]): NotSupportedMember[] => methods.map((method) => ({ cls, method, kind: 'reject' as const }));
const statics = (members: NotSupportedMember[]): NotSupportedMember[] => members.map((m) => ({ ...m, static: true as const }));
const t = (cls: string, methods: string[]): NotSupportedMember[] => methods.map((method) => ({ cls, method, kind: 'throw' as const }));

export const NOT_SUPPORTED: NotSupportedMember[] = [
  ...r('UserAgent', ['fetchNetworkInformation', 'fetchNetworkInformation_v1', 'fetchNetworkInformation_v2', 'fetchProfileInformation']),
  ...t('UserAgent', ['getEnterprise', 'startWhiteboard', 'stopWhiteboard']),
  ...r('Session', ['cloudRequest', 'getContactFromWebSession', 'joinPointerSharingRoom', 'stopRecordingOutgoingStream']),
  ...t('Session', ['getWhiteboardClient', 'joinConversationSpace', 'startRecordingOutgoingStream']),
  ...r('Contact', ['fetchMediaList', 'fetchProfileInformation', 'fetchWebSessionInformation', 'pushMedia', 'sendRemoteAccessInvitation']),
  ...t('Contact', ['sendWhiteboardInvitation']),
  ...r('Conversation', [
    'checkAccess',
    'bind',
    'updateData',
    'pushMedia',
    'startComposite',
    'stopComposite',
    'startNewWhiteboardSession',
    'stopNewWhiteboardSession',
    'enablePointerSharing',
    'callVoIP',
  ]),
  ...t('Conversation', ['setData', 'sendRawData', 'sendPointerLocation', 'sendJoinRequest', 'startScreensharing', 'stopScreensharing']),
  ...r('ConversationCall', ['startRecordingPublishedStream', 'stopRecordingPublishedStream', 'startStreaming', 'stopStreaming']),
  ...r('Conference', ['getInfo']),
  ...r('Call', ['stopPublishedStreams', 'startRecording', 'stopRecording']),
  ...r('SentInvitation', ['send']),
  ...r('ReceivedPointerSharingInvitation', ['accept']),
  ...r('ReceivedWhiteboardInvitation', ['accept']),
  ...r('ReceivedRemoteAccessInvitation', ['accept', 'decline', 'sendMessageToSender', 'startScreenSharingAndPublish', 'downloadApplication']),
  ...t('ReceivedRemoteAccessInvitation', ['stop']),
  ...r('SentRemoteAccessInvitation', ['toggleMouseAndKeyboardAccess']),
  ...t('SentRemoteAccessInvitation', ['setRemoteAccessStream', 'setScreenSharingStreamDOMElementId', 'stop']),
  ...statics(r('Enterprise', ['fetchEnterpriseInformation', 'fetchSiteAgents'])),
  ...r('Enterprise', ['load', 'uploadFile', 'getAvailableConferences', 'getConference', 'createPrivateConference', 'getTags']),
  ...statics(r('CloudApi', ['get', 'post', 'put', 'delete'])),
  ...r('PointerSharingRoom', ['leaveRoom', 'invite', 'sendPointerLocation']),
  ...t('ApiCCWhiteBoardClient', [
    'setCanvas',
    'setReadOnly',
    'setBrushColor',
    'setBrushSize',
    'setFocusOnDrawing',
    'setDrawingTool',
    'stop',
    'refreshCanvas',
    'redraw',
    'undo',
    'redo',
    'clearPaper',
    'printSharedText',
    'activateTouchScreen',
    'deactivateTouchScreen',
  ]),
];

/** Members on the namespace itself (not on a class). */
export const NOT_SUPPORTED_GLOBALS: NotSupportedMember[] = [{ cls: 'apiRTC', method: 'init', kind: 'throw' }];
