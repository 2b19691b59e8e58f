import type { TrackKind } from '../../media/TrackSet.js';
import type { RelayAction, RemoteLink, RemoteStreamInit } from './types.js';

/**
 * The remote side of a subscribed Stream: the publisher's enabled state per kind, as it last
 * announced it, and the relay that runs operations on the published stream through the publisher's SDK.
 */
export class RemoteControl {
  /** The media leg id announced by the publisher. */
  readonly callId: string;
  readonly #link: RemoteLink;
  readonly #enabled: Record<TrackKind, boolean>;

  constructor(init: RemoteStreamInit) {
    this.callId = init.callId;
    this.#link = init.link;
    this.#enabled = { audio: init.audioEnabled, video: init.videoEnabled };
  }

  /** The publisher's choice for `kind`. */
  isEnabled(kind: TrackKind): boolean {
    return this.#enabled[kind];
  }

  /** Runs `action` on the publisher's stream; resolves its result. */
  relay(action: RelayAction, args?: unknown): Promise<unknown> {
    return this.#link.relay(action, args);
  }

  /** Asks the publisher to enable or disable `kind`; resolves at once when it already is. */
  setEnabled(kind: TrackKind, enabled: boolean): Promise<void> {
    if (this.#enabled[kind] === enabled) return Promise.resolve();
    const action: RelayAction = kind === 'audio' ? (enabled ? 'enableAudio' : 'disableAudio') : enabled ? 'enableVideo' : 'disableVideo';
    return this.relay(action).then(() => undefined);
  }

  /** Records the publisher's new choice; returns the kinds whose state changed. */
  update(audioEnabled: boolean, videoEnabled: boolean): TrackKind[] {
    const changed: TrackKind[] = [];
    if (this.#enabled.audio !== audioEnabled) changed.push('audio');
    if (this.#enabled.video !== videoEnabled) changed.push('video');
    this.#enabled.audio = audioEnabled;
    this.#enabled.video = videoEnabled;
    return changed;
  }
}
