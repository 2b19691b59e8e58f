/*
 * The part of the apiRTC 5.x API (global `apiRTC`, loaded by /sdk/parley.js) that this app uses.
 * Written from the public API reference, like any apiRTC app would: the app never imports Parley.
 */

declare namespace apiRTC {
  type Listener<T> = (payload: T) => void;

  interface ApiRTCError {
    code: number;
    error: Error;
  }

  class UserData {
    get(prop: string): unknown;
    setProp(prop: string, value: unknown): UserData;
    setToSession(): void;
  }

  class MediaDevice {
    getId(): string;
    getLabel(): string;
    getType(): 'audioinput' | 'audiooutput' | 'videoinput';
  }

  interface MediaDeviceList {
    audioinput: Record<string, MediaDevice>;
    audiooutput: Record<string, MediaDevice>;
    videoinput: Record<string, MediaDevice>;
  }

  interface CreateStreamOptions {
    audioInputId?: string | false;
    videoInputId?: string | false;
    constraints?: MediaStreamConstraints;
  }

  interface FlowStatus {
    enabled: boolean;
    muted: boolean;
  }

  interface StreamEvents {
    stopped: { streamId: number };
    trackStopped: { type: 'audio' | 'video'; id: string; reason: string };
    release: unknown;
    flowStatusChanged: FlowStatus & { type: 'audio' | 'video' };
    audioFlowStatusChanged: FlowStatus;
    videoFlowStatusChanged: FlowStatus;
    remoteAudioFlowStatusChanged: FlowStatus;
    remoteVideoFlowStatusChanged: FlowStatus;
  }

  class Stream {
    streamId: number;
    isRemote: boolean;
    static createDisplayMediaStream(constraints: DisplayMediaStreamOptions, forceExtensionOnChrome: boolean): Promise<Stream>;
    getId(): string;
    getContact(): Contact | null;
    getData(): MediaStream;
    hasAudio(): boolean;
    hasVideo(): boolean;
    isScreensharing(): boolean;
    attachToElement(element: HTMLMediaElement): void;
    isAudioEnabled(): boolean;
    isVideoEnabled(): boolean;
    enableAudio(applyRemotely?: boolean): Promise<void>;
    disableAudio(applyRemotely?: boolean): Promise<void>;
    enableVideo(applyRemotely?: boolean): Promise<void>;
    disableVideo(applyRemotely?: boolean): Promise<void>;
    release(): void;
    on<K extends keyof StreamEvents>(event: K, listener: Listener<StreamEvents[K]>): this;
    removeListener<K extends keyof StreamEvents>(event: K, listener: Listener<StreamEvents[K]>): this;
  }

  /** §2.9: a published stream as announced by `streamListChanged`. */
  interface StreamInfo {
    streamId: number;
    listEventType?: 'added' | 'removed' | 'updated';
    isRemote: boolean;
    contact: Contact;
    hasAudio?: boolean;
    hasVideo?: boolean;
    isAudioMuted?: boolean;
    isVideoMuted?: boolean;
    isScreensharing?: boolean;
    context?: Record<string, unknown>;
  }

  interface StreamUpdate {
    callId: string;
    streamId: number;
    audio: boolean;
    audioMuted: boolean;
    video: boolean;
    videoMuted: boolean;
  }

  interface ConversationMessage {
    sender: Contact;
    sender_id: string;
    content: string;
    time: Date;
  }

  interface ConversationEvents {
    streamListChanged: StreamInfo;
    streamAdded: Stream;
    streamRemoved: Stream;
    contactJoined: Contact;
    contactLeft: Contact;
    message: ConversationMessage;
    joined: unknown;
    left: unknown;
    remoteStreamUpdated: StreamUpdate;
    remoteStreamIdUpdated: { callId: string; oldStreamId: number; newStreamId: number };
    error: { errorCode: string; streamId?: number };
  }

  interface PublishOptions {
    audioOnly?: boolean;
    videoOnly?: boolean;
    context?: Record<string, unknown>;
  }

  class Conversation {
    getName(): string;
    isJoined(): boolean;
    join(): Promise<{ mode?: 'mesh'; meshOnly?: boolean }>;
    leave(): Promise<void>;
    destroy(): void;
    publish(stream: Stream, options?: PublishOptions): Promise<Stream>;
    unpublish(stream: Stream): void;
    isPublishedStream(stream: Stream): boolean;
    replacePublishedStream(oldStream: Stream, newStream: Stream): Promise<Stream>;
    subscribeToStream(streamId: number | string): Promise<Stream>;
    unsubscribeToStream(streamId: number | string): void;
    getContactsArray(): Contact[];
    sendMessage(message: string): Promise<number>;
    on<K extends keyof ConversationEvents>(event: K, listener: Listener<ConversationEvents[K]>): this;
    removeListener<K extends keyof ConversationEvents>(event: K, listener: Listener<ConversationEvents[K]>): this;
  }

  interface ContactListUpdate {
    joinedGroup: Record<string, Contact[]>;
    leftGroup: Record<string, Contact[]>;
    userDataChanged: Contact[];
  }

  interface ContactMessageEvent {
    sender: Contact;
    content: string;
    uuid: number;
    time: Date;
  }

  class Contact {
    getId(): string;
    getUsername(): string;
    getUserData(): UserData;
    isOnline(): boolean;
    sendMessage(message: string): Promise<number>;
  }

  interface RegisterInformation {
    cloudUrl?: string;
    groups?: string[];
    subscribeTo?: string[];
    nickname?: string;
    userData?: Record<string, unknown>;
  }

  interface SessionEvents {
    contactListUpdate: ContactListUpdate;
    contactMessage: ContactMessageEvent;
    reconnecting: unknown;
    reconnection: unknown;
    disconnect: unknown;
  }

  class Session {
    getId(): string;
    getContactsArray(group?: string): Contact[];
    getOrCreateContact(id: string): Contact;
    getOrCreateConversation(name: string): Conversation;
    on<K extends keyof SessionEvents>(event: K, listener: Listener<SessionEvents[K]>): this;
  }

  interface UserAgentEvents {
    mediaDeviceChanged: unknown;
  }

  class UserAgent {
    constructor(options: { uri: string });
    register(info?: RegisterInformation): Promise<Session>;
    unregister(): Promise<void>;
    getUserData(): UserData;
    setUsername(name: string): void;
    getUsername(): string;
    createStream(options?: CreateStreamOptions): Promise<Stream>;
    getUserMediaDevices(): MediaDeviceList;
    on<K extends keyof UserAgentEvents>(event: K, listener: Listener<UserAgentEvents[K]>): this;
  }

  function setLogLevel(level: number): void;
}
