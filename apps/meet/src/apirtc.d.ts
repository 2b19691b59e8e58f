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

  class Stream {
    streamId: number;
    getId(): string;
    getData(): MediaStream;
    hasAudio(): boolean;
    hasVideo(): boolean;
    attachToElement(element: HTMLMediaElement): void;
    isAudioEnabled(): boolean;
    isVideoEnabled(): boolean;
    enableAudio(): Promise<void>;
    disableAudio(): Promise<void>;
    enableVideo(): Promise<void>;
    disableVideo(): Promise<void>;
    release(): void;
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
