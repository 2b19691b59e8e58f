import { APIRTC_MEDIA_DEVICE_DETECTION_DELAY, ERROR_APIRTC_SESSION_ALREADY_ON, ERROR_OTHER } from '../constants.js';
import { resolveBaseUrl } from '../engine/baseUrl.js';
import { Engine } from '../engine/Engine.js';
import { buildUserMediaConstraints, type CreateStreamOptions } from '../media/constraints.js';
import { DeviceManager, type MediaDeviceChange, type MediaDeviceList } from '../media/DeviceManager.js';
import { getUserMediaStream, type MediaReporter, type UserMediaErrorInfo } from '../media/userMedia.js';
import { runtime } from '../runtime.js';
import { apiError } from '../util/errors.js';
import { log } from '../util/Logger.js';
import { platform } from '../util/platform.js';
import { getScriptUrl } from '../util/scriptUrl.js';
import { rejectNotSupported, throwNotSupported } from '../util/unsupported.js';
import { DEFAULT_STATS_INTERVAL_MS, MIN_STATS_INTERVAL_MS, QualitySettings } from '../quality/QualitySettings.js';
import { DEFAULT_SPEAKER_THRESHOLD } from '../quality/SpeakingState.js';
import { ATTACH, MEDIA_REPORTER, SESSION_ENDED, SETTINGS } from './internal.js';
import type { MediaDevice } from '../media/MediaDevice.js';
import { Observable } from './Observable.js';
import { ApiCCWhiteBoardClient } from './p2/ApiCCWhiteBoardClient.js';
import { capabilities } from './p2/BrowserCapabilities.js';
import { EventCenter } from './p2/EventCenter.js';
import { buildRegisterUserData, checkRegisterUri, groupList, numberOption, registerError, type RegisterInformation } from './registration.js';
import { Session } from './Session.js';
import { createLocalStream, Stream } from './Stream.js';
import { replaceUserData, userDataBag, UserData } from './UserData.js';

/** `new UserAgent(options)` (docs/sdk-reference.md#useragent). */
export interface UserAgentOptions {
  /** Identity URI: `apiKey:KEY`, `apzkey:KEY`, … (checked by `register()`). */
  uri?: string;
  /** P2: poll the device list. */
  apiRTCMediaDeviceDetectionEnabled?: boolean;
  /** P2: polling period in ms (default 10000). */
  apiRTCMediaDeviceDetectionDelay?: number;
}

/** UserAgent events and payloads (docs/sdk-reference.md#useragent). */
export interface UserAgentEvents {
  mediaDeviceChanged: MediaDeviceChange;
  externalJsLoadingStatus: { extjs: string; status: 'loaded' | 'error' | 'retry' };
  ccsConnectionStatus: { status: 'connected' | 'disconnected' | 'error' | 'retry' };
  userMediaError: UserMediaErrorInfo;
}

/** Client-wide media settings read by the conversation work (internal). */
export interface UserAgentSettings {
  /** Speaker detection and call statistics, followed by every joined conversation. */
  quality: QualitySettings;
  meshRoomMode: boolean;
  bandwidth: { target?: number; overallOutgoingVideo?: number; perCallOutgoingVideo?: number };
}

const EVENTS = ['mediaDeviceChanged', 'externalJsLoadingStatus', 'ccsConnectionStatus', 'userMediaError'];

/**
 * Entry point; represents the local user (docs/sdk-reference.md#useragent). Constructing one stores it in
 * `apiRTC.userAgentInstance`; `register()` opens the Session.
 */
export class UserAgent extends Observable<UserAgentEvents> {
  /** Id of the registered user; null before `register()` resolves. */
  userId: string | null = null;
  readonly #uri: string | undefined;
  readonly #userData = new UserData();
  readonly #devices = new DeviceManager();
  readonly #settings: UserAgentSettings = {
    quality: new QualitySettings(),
    meshRoomMode: false,
    bandwidth: {},
  };
  #session: Session | null = null;
  #registering: Engine | null = null;
  #whiteboard: ApiCCWhiteBoardClient | undefined;

  constructor(opts: UserAgentOptions = {}) {
    super();
    this.#uri = opts?.uri;
    if (runtime.userAgentInstance) log.warn('a UserAgent already exists; apiRTC.userAgentInstance now refers to the new one');
    runtime.userAgentInstance = this;
    this.#devices.on('change', (change) => this.#onDeviceChange(change));
    this.#devices.start();
    if (opts?.apiRTCMediaDeviceDetectionEnabled) {
      const period = opts.apiRTCMediaDeviceDetectionDelay ?? APIRTC_MEDIA_DEVICE_DETECTION_DELAY;
      setInterval(() => void this.#devices.refresh('updatedOnDeviceChange').catch(() => undefined), period);
    }
  }

  /** Event names accepted by `on()`, in apiRTC order. */
  static override getAvailableEvents(): string[] {
    return [...EVENTS];
  }

  /**
   * Authenticates, opens the signalling connection, applies presence groups and resolves the
   * Session (docs/sdk-reference.md#registration). Rejects `{code, error}`: 7 no uri / unknown prefix; 6 session already on;
   * 0 empty apiKey or server not found; 1 cloud login without password; 5 connection/auth failure.
   */
  async register(opts: RegisterInformation = {}): Promise<Session> {
    const options = opts && typeof opts === 'object' ? opts : {};
    const checked = checkRegisterUri(options.uri ?? this.#uri, options.password);
    if ('code' in checked) throw checked;
    if (this.#session || this.#registering) throw apiError(ERROR_APIRTC_SESSION_ALREADY_ON, 'register() - Session already ON');
    const pageOrigin = typeof location !== 'undefined' ? location.origin : undefined;
    const baseUrl = resolveBaseUrl(options.cloudUrl, getScriptUrl(), pageOrigin);
    if (!baseUrl) throw apiError(ERROR_OTHER, 'register() - Could not get preferred CCS');

    replaceUserData(this.#userData, buildRegisterUserData(userDataBag(this.#userData), options, platform));
    const engine = new Engine({
      baseUrl,
      apiKey: checked.apiKey,
      ...(typeof options.token === 'string' && options.token !== '' ? { token: options.token } : {}),
      ...(options.id !== undefined && options.id !== null && String(options.id) !== '' ? { userId: String(options.id) } : {}),
      groups: groupList(options.groups, ['default']),
      subscribeTo: groupList(options.subscribeTo, ['default']),
      userData: userDataBag(this.#userData),
      lookupRetries: numberOption(options.cloudFetchRetries),
      lookupRetryDelayMs: numberOption(options.cloudFetchRetryDelay),
      retryDelayMs: numberOption(options.ccsConnectionRetryDelay),
      maxRetries: numberOption(options.ccsConnectionRetryNb),
      ...(typeof options.turnServerAddress === 'string' && options.turnServerAddress.trim() !== '' ? { turnServerAddress: options.turnServerAddress } : {}),
    });
    const session = new Session(this, {
      engine,
      userData: this.#userData,
      peerOptions: {
        userAcceptOnIncomingScreenSharingCall: options.userAcceptOnIncomingScreenSharingCall === true,
        userAcceptOnIncomingDataCall: options.userAcceptOnIncomingDataCall !== false,
      },
    });
    this.#registering = engine;
    try {
      const result = await engine.connect();
      session[ATTACH](result.userId);
      this.#session = session;
      this.userId = result.userId;
      if (runtime.userAgentInstance === this) runtime.legacySession.apiCCId = result.userId;
      return session;
    } catch (err) {
      throw registerError(err);
    } finally {
      this.#registering = null;
    }
  }

  /**
   * Leaves every joined conversation, disconnects the session and clears it. Rejects 0
   * "unregister() - no current session" / "unregister() - unregistration error".
   */
  async unregister(_opts?: { invalidateUserToken?: boolean }): Promise<void> {
    const registering = this.#registering;
    if (registering) {
      // Abandons a registration in progress: register() then rejects.
      await registering.unregister().catch(() => undefined);
      return;
    }
    const session = this.#session;
    if (!session) throw apiError(ERROR_OTHER, 'unregister() - no current session');
    try {
      await session.disconnect();
    } catch (err) {
      throw apiError(ERROR_OTHER, 'unregister() - unregistration error', err);
    }
  }

  /** True while a Session exists. */
  isRegistered(): boolean {
    return this.#session !== null;
  }

  /** The Session of the last successful `register()`, or null. */
  getCurrentSession(): Session | null {
    return this.#session;
  }

  /**
   * Acquires camera/microphone and resolves a local Stream (docs/sdk-reference.md#useragent). Rejects with the browser's
   * getUserMedia error; `userMediaError` is emitted too.
   */
  async createStream(opts?: CreateStreamOptions): Promise<Stream> {
    const ms = await getUserMediaStream(buildUserMediaConstraints(opts ?? {}), this[MEDIA_REPORTER]);
    return createLocalStream(ms, { owner: this });
  }

  /** Wraps an existing MediaStream as a local Stream. */
  createStreamFromMediaStream(mediaStream: MediaStream): Promise<Stream> {
    if (typeof MediaStream === 'undefined' || !(mediaStream instanceof MediaStream)) {
      return Promise.reject(new TypeError('createStreamFromMediaStream() - argument is not a MediaStream'));
    }
    return Promise.resolve(createLocalStream(mediaStream, { owner: this }));
  }

  /** Synchronous snapshot of the last device enumeration (labels empty before a granted getUserMedia). */
  getUserMediaDevices(): MediaDeviceList {
    const d = this.#devices.devices;
    return { audioinput: { ...d.audioinput }, audiooutput: { ...d.audiooutput }, videoinput: { ...d.videoinput } };
  }

  /** Deprecated: re-enumerates, then resolves the same map. Rejects 0 on failure. */
  async fetchUserMediaDevices(): Promise<MediaDeviceList> {
    log.warn('fetchUserMediaDevices() is deprecated, use getUserMediaDevices() and the mediaDeviceChanged event');
    try {
      await this.#devices.refresh('updatedOnDeviceChange');
    } catch (err) {
      throw apiError(ERROR_OTHER, 'fetchUserMediaDevices() - Could not get media devices', err);
    }
    return this.getUserMediaDevices();
  }

  /** The devices the SDK treats as default. */
  getDefaultDevices(): { audioInput: MediaDevice | undefined; audioOutput: MediaDevice | undefined; videoInput: MediaDevice | undefined } {
    return this.#devices.defaults();
  }

  /** Before register: the pre-registration UserData; after: the Session's (same object). */
  getUserData(): UserData {
    return this.#userData;
  }

  /** When registered, replaces and publishes the user data; no effect before register. */
  setUserData(userdata: object): void {
    if (this.#session) this.#session.setUserData(userdata);
    else log.warn('setUserData() - not registered: no effect');
  }

  /** Sets `userData.username`: kept for register, or published when registered. */
  setUsername(username: string): void {
    if (this.#session) this.#session.setUsername(username);
    else this.#userData['username'] = username;
  }

  /** Current username. */
  getUsername(): string {
    const name = this.#userData['username'];
    return typeof name === 'string' ? name : '';
  }

  /** P2: sets `userData.photo_url` (published when registered). */
  setPhotoUrl(url: string): void {
    if (this.#session) this.#session.setPhotoUrl(url);
    else this.#userData['photo_url'] = url;
  }

  /** P2: reads `photo_url`. */
  getPhotoUrl(): string | null {
    const url = this.#userData['photo_url'];
    return typeof url === 'string' ? url : null;
  }

  /**
   * Turns speaker detection on or off for every conversation of this client
   * (docs/sdk-reference.md#active-speaker-detection-and-call-statistics): each published stream's
   * audio is analysed and `audioAmplitude` fires, here and at its subscribers, when it starts and
   * stops speaking. `threshold` (> 0, default 0.4) is a fraction of the 0..255 level; Parley reads
   * a value above 1 as the level itself.
   */
  enableActiveSpeakerDetecting(enabled: boolean, options?: { threshold?: number }): void {
    const threshold = options?.threshold;
    const valid = typeof threshold === 'number' && threshold > 0 && Number.isFinite(threshold);
    if (threshold !== undefined && !valid) {
      log.error(`enableActiveSpeakerDetecting() - threshold must be a number > 0, got ${String(threshold)}: default ${DEFAULT_SPEAKER_THRESHOLD} used`);
    }
    this.#settings.quality.setActiveSpeaker(enabled === true, valid ? threshold : DEFAULT_SPEAKER_THRESHOLD);
  }

  /** Periodic Conversation `callStatsUpdate` per stream on/off; `interval` ms >= 1000 (default 5000, else logged and defaulted). */
  enableCallStatsMonitoring(enabled: boolean, options?: { interval?: number }): void {
    const interval = options?.interval;
    const valid = typeof interval === 'number' && Number.isFinite(interval) && interval >= MIN_STATS_INTERVAL_MS;
    if (interval !== undefined && !valid) {
      log.error(
        `enableCallStatsMonitoring() - interval must be a number >= ${MIN_STATS_INTERVAL_MS}, got ${String(interval)}: ${DEFAULT_STATS_INTERVAL_MS} used`,
      );
    }
    this.#settings.quality.setCallStats(enabled === true, valid ? interval : DEFAULT_STATS_INTERVAL_MS);
  }

  /** P2: default mesh mode of conversations that do not set it. */
  enableMeshRoomMode(enabled: boolean): void {
    if (typeof enabled !== 'boolean') log.error('enableMeshRoomMode() - enabled must be a boolean');
    else this.#settings.meshRoomMode = enabled;
  }

  /** P2: video bandwidth target for outgoing streams (kbps). */
  setTargetBandwidthUsage(kbps: number): void {
    this.#setBandwidth('target', kbps);
  }

  /** P2: cap on the sum of outgoing video (kbps). */
  setOverallOutgoingVideoBandwidth(bandwidth: number): void {
    this.#setBandwidth('overallOutgoingVideo', bandwidth);
  }

  /** P2: cap per outgoing call (kbps). */
  setPerCallOutgoingVideoBandwidth(bandwidth: number): void {
    this.#setBandwidth('perCallOutgoingVideo', bandwidth);
  }

  /** P2: whiteboards are not supported. */
  startWhiteboard(_canvasId?: string, _cursorColor?: string): void {
    throwNotSupported('startWhiteboard');
  }

  /** P2: whiteboards are not supported. */
  stopWhiteboard(): void {
    throwNotSupported('stopWhiteboard');
  }

  /** P2: the (inactive) whiteboard client. */
  getWhiteboardClient(): ApiCCWhiteBoardClient {
    this.#whiteboard ??= new ApiCCWhiteBoardClient();
    return this.#whiteboard;
  }

  /** P2: not supported. */
  fetchNetworkInformation(_testServer?: string, _thresholds?: number[]): Promise<object> {
    return rejectNotSupported('fetchNetworkInformation');
  }

  /** P2: not supported. */
  fetchNetworkInformation_v1(_testServer?: string, _thresholds?: number[]): Promise<object> {
    return rejectNotSupported('fetchNetworkInformation_v1');
  }

  /** P2: not supported. */
  fetchNetworkInformation_v2(_testServer?: string, _thresholds?: number[]): Promise<object> {
    return rejectNotSupported('fetchNetworkInformation_v2');
  }

  /** P2: wrapper over `navigator.geolocation.getCurrentPosition`. */
  fetchGeolocationInformation(positionOptions?: PositionOptions): Promise<GeolocationPosition> {
    if (typeof navigator === 'undefined' || !navigator.geolocation) return rejectNotSupported('fetchGeolocationInformation');
    return new Promise((resolve, reject) => navigator.geolocation.getCurrentPosition(resolve, reject, positionOptions));
  }

  /** P2 (cloud profiles): not supported. */
  fetchProfileInformation(_bearerToken: string, _forceUpdate?: boolean): Promise<object> {
    return rejectNotSupported('fetchProfileInformation');
  }

  /** P2 (cloud enterprises): not supported; null. */
  getEnterprise(): null {
    throwNotSupported('getEnterprise');
  }

  /** P2: the diagnostics event store (stores nothing on Parley). */
  getEventCenter(): EventCenter {
    return eventCenter;
  }

  /** P2: browser name (same as `apiRTC.browser`). */
  getBrowser(): string {
    return platform.browser;
  }

  /** P2: feature support report (`'supported'` / `'unsupported'` per feature). */
  getCapabilities(): Record<string, string> {
    return Object.fromEntries(Object.entries(capabilities()).map(([k, v]) => [k, v ? 'supported' : 'unsupported']));
  }

  /** P2: per-feature support booleans. */
  getBrowserCapabilities(): Record<string, boolean> {
    return capabilities();
  }

  /** SDK-internal: where media acquisitions report. */
  get [MEDIA_REPORTER](): MediaReporter {
    return {
      userMediaError: (info) => this.emit('userMediaError', info),
      userMediaSuccess: () => this.#devices.onUserMediaSuccess(),
    };
  }

  /** SDK-internal: client-wide media settings. */
  get [SETTINGS](): Readonly<UserAgentSettings> {
    return this.#settings;
  }

  /** SDK-internal: `session` closed for good; forget it so that `register()` works again. */
  [SESSION_ENDED](session: Session): void {
    if (this.#session !== session) return;
    this.#session = null;
    this.userId = null;
    if (runtime.userAgentInstance === this) runtime.legacySession.apiCCId = null;
  }

  /** Replay rule of docs/sdk-reference.md#events-and-listeners: the first listener hears about a change detected before it existed. */
  protected override onListenerAdded(eventType: string, listener: (payload?: unknown) => void): void {
    if (eventType !== 'mediaDeviceChanged' || this.listenerCount(eventType) !== 1) return;
    const change = this.#devices.takeUnannounced();
    if (change) this.emitTo('mediaDeviceChanged', listener, change);
  }

  #onDeviceChange(change: MediaDeviceChange): void {
    if (this.listenerCount('mediaDeviceChanged') === 0) {
      this.#devices.markUnannounced(change.updateReason);
      return;
    }
    this.#devices.markAnnounced();
    this.emit('mediaDeviceChanged', change);
  }

  #setBandwidth(key: keyof UserAgentSettings['bandwidth'], value: number): void {
    if (typeof value !== 'number' || !(value > 0)) log.error(`bandwidth must be a positive number of kbps, got ${String(value)}`);
    else this.#settings.bandwidth[key] = value;
  }
}

/** Page-wide diagnostics store (`apiRTC.eventCenter`). */
export const eventCenter = new EventCenter();
