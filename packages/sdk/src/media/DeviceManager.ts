import { MediaDevice, type MediaDeviceType } from './MediaDevice.js';
import { Emitter } from '../util/Emitter.js';
import { log } from '../util/Logger.js';
import { mediaDevices } from '../util/platform.js';

/** `getUserMediaDevices()` result: devices by kind, keyed by deviceId. */
export interface MediaDeviceList {
  audioinput: { [id: string]: MediaDevice };
  audiooutput: { [id: string]: MediaDevice };
  videoinput: { [id: string]: MediaDevice };
}

/** Why the list was re-read. */
export type DeviceUpdateReason = 'updatedOnDeviceChange' | 'updatedAfterGetUserMediaSuccess';

/** UserAgent `mediaDeviceChanged` payload. */
export interface MediaDeviceChange {
  added: MediaDevice[];
  removed: MediaDevice[];
  updated: MediaDevice[];
  updateReason: DeviceUpdateReason;
  firstMediaDeviceListInitialization: boolean;
}

/** Events of the {@link DeviceManager}. */
export interface DeviceManagerEvents {
  change: [change: MediaDeviceChange];
}

const KINDS: readonly MediaDeviceType[] = ['audioinput', 'audiooutput', 'videoinput'];

/** An empty device map. */
export function emptyDeviceList(): MediaDeviceList {
  return { audioinput: {}, audiooutput: {}, videoinput: {} };
}

function flatten(list: MediaDeviceList): Map<string, MediaDevice> {
  const all = new Map<string, MediaDevice>();
  for (const kind of KINDS) for (const d of Object.values(list[kind])) all.set(`${kind}/${d.id}`, d);
  return all;
}

/**
 * Differences between two device maps: devices that appeared, disappeared, or kept their id but
 * changed label (labels appear after the first granted getUserMedia).
 */
export function diffDeviceLists(
  before: MediaDeviceList,
  after: MediaDeviceList,
): Omit<MediaDeviceChange, 'updateReason' | 'firstMediaDeviceListInitialization'> {
  const a = flatten(before);
  const b = flatten(after);
  const added: MediaDevice[] = [];
  const removed: MediaDevice[] = [];
  const updated: MediaDevice[] = [];
  for (const [key, d] of b) {
    const old = a.get(key);
    if (!old) added.push(d);
    else if (old.getLabel() !== d.getLabel()) updated.push(d);
  }
  for (const [key, d] of a) if (!b.has(key)) removed.push(d);
  return { added, removed, updated };
}

/**
 * The device list of the page: enumerates on start, on the browser's `devicechange` and after
 * the first successful getUserMedia, and reports each effective change.
 */
export class DeviceManager extends Emitter<DeviceManagerEvents> {
  #devices: MediaDeviceList = emptyDeviceList();
  #initialized = false;
  #gotUserMedia = false;
  #started = false;
  /** The list as last announced to the app, and the reason of a change not announced yet. */
  #announced: MediaDeviceList | undefined;
  #unannounced: DeviceUpdateReason | undefined;

  /** The last enumeration (empty maps before the first one completes). */
  get devices(): MediaDeviceList {
    return this.#devices;
  }

  /** Whether at least one enumeration completed. */
  get initialized(): boolean {
    return this.#initialized;
  }

  /** Starts listening to `devicechange` and runs the first enumeration. Idempotent. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const md = mediaDevices();
    if (!md) return;
    md.addEventListener?.('devicechange', () => void this.refresh('updatedOnDeviceChange').catch(() => undefined));
    void this.refresh('updatedOnDeviceChange').catch(() => undefined);
  }

  /** Called after every successful getUserMedia: the first one makes labels available. */
  onUserMediaSuccess(): void {
    if (this.#gotUserMedia) return;
    this.#gotUserMedia = true;
    void this.refresh('updatedAfterGetUserMediaSuccess').catch(() => undefined);
  }

  /**
   * Enumerates now and emits `change` when something differs.
   * @throws when enumeration is impossible or fails.
   */
  async refresh(reason: DeviceUpdateReason): Promise<MediaDeviceList> {
    const md = mediaDevices();
    if (!md?.enumerateDevices) throw new Error('enumerateDevices is not available');
    const infos = await md.enumerateDevices();
    const next = emptyDeviceList();
    for (const info of infos) {
      const kind = info.kind;
      if (KINDS.includes(kind)) next[kind][info.deviceId] = new MediaDevice(info.deviceId, kind, info.label);
    }
    const first = !this.#initialized;
    const diff = diffDeviceLists(this.#devices, next);
    this.#devices = next;
    this.#initialized = true;
    if (first || diff.added.length + diff.removed.length + diff.updated.length > 0) {
      log.debug('media devices changed', diff);
      this.emit('change', { ...diff, updateReason: reason, firstMediaDeviceListInitialization: first });
    }
    return next;
  }

  /** Records that the current list was told to the app (`mediaDeviceChanged` emitted). */
  markAnnounced(): void {
    this.#announced = this.#devices;
    this.#unannounced = undefined;
  }

  /** Records a change nobody listened to, for {@link takeUnannounced}. */
  markUnannounced(reason: DeviceUpdateReason): void {
    this.#unannounced = reason;
  }

  /**
   * The replay rule of docs/sdk-reference.md#events-and-listeners: when a change was detected while nobody listened, the difference
   * between the last announced list and the current one (then marked announced), else undefined.
   */
  takeUnannounced(): MediaDeviceChange | undefined {
    const reason = this.#unannounced;
    if (reason === undefined) return undefined;
    const change: MediaDeviceChange = {
      ...diffDeviceLists(this.#announced ?? emptyDeviceList(), this.#devices),
      updateReason: reason,
      firstMediaDeviceListInitialization: this.#announced === undefined,
    };
    this.markAnnounced();
    return change;
  }

  /**
   * The devices the SDK treats as default: the `default` entry when the browser lists one (Chrome
   * does for audio), else the first device of the kind.
   */
  defaults(): { audioInput: MediaDevice | undefined; audioOutput: MediaDevice | undefined; videoInput: MediaDevice | undefined } {
    const pick = (kind: MediaDeviceType): MediaDevice | undefined => {
      const map = this.#devices[kind];
      return map['default'] ?? Object.values(map)[0];
    };
    return { audioInput: pick('audioinput'), audioOutput: pick('audiooutput'), videoInput: pick('videoinput') };
  }
}
