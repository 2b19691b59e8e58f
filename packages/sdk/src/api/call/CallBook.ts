import type { PeerCallType } from '@parley/protocol';
import { CALL_STATUS_ENDED } from '../../constants.js';
import { log } from '../../util/Logger.js';
import { randomNumericId } from '../../util/ids.js';
import { Call } from '../Call.js';
import type { Contact } from '../Contact.js';
import { CALL_INVITATION_EXPIRY_MS, ReceivedCallInvitation, type AnswerOptions } from '../invitations/ReceivedCallInvitation.js';
import { Stream } from '../Stream.js';
import type { UserAgent } from '../UserAgent.js';
import type { QualitySettings } from '../../quality/QualitySettings.js';
import { SETTINGS } from '../internal.js';
import { USER_BUSY } from './CallInit.js';
import type { PeerPort } from './PeerPort.js';

/** `CallOptions` (docs/sdk-reference.md#call-and-invitations). */
export interface CallOptions {
  mediaTypeForOutgoingCall?: string;
  audioOnly?: boolean;
  muted?: string;
  /** Parley: seconds the callee's invitation rings before it expires (default 60, at most a day). */
  expirationTime?: number;
}

/** Where incoming calls are announced (Session and Contact events). */
export interface CallSink {
  incomingCall(invitation: ReceivedCallInvitation): void;
  incomingScreenSharingCall(call: Call): void;
  incomingScreenSharingCallInvitation(invitation: ReceivedCallInvitation): void;
}

/** What a media type asks getUserMedia for; null for none. */
function mediaOf(type: string | undefined, fallback: 'VIDEO' | 'AUDIO' | 'VIDEOONLY' | 'NONE'): { audio: boolean; video: boolean } | null {
  switch (String(type ?? fallback).toUpperCase()) {
    case 'AUDIO':
      return { audio: true, video: false };
    case 'VIDEOONLY':
      return { audio: false, video: true };
    case 'NONE':
      return null;
    default:
      return { audio: true, video: true };
  }
}

/** `CallOptions.expirationTime` (seconds) in ms; the default when absent or not a positive number. */
export function expiryOf(seconds: unknown): number {
  const s = Number(seconds);
  return seconds !== undefined && Number.isFinite(s) && s > 0 ? Math.min(Math.round(s * 1000), 86_400_000) : CALL_INVITATION_EXPIRY_MS;
}

/** The callee's default answer media for a call type. */
function answerMediaFor(callType: string): 'VIDEO' | 'AUDIO' | 'VIDEOONLY' | 'NONE' {
  if (callType === 'audio') return 'AUDIO';
  if (callType === 'videoOnly') return 'VIDEOONLY';
  if (callType === 'media') return 'VIDEO';
  return 'NONE';
}

function callTypeOf(media: { audio: boolean; video: boolean } | null): PeerCallType {
  if (!media) return 'none';
  if (media.video) return media.audio ? 'media' : 'videoOnly';
  return 'audio';
}

/**
 * The Session's 1-1 calls (docs/sdk-reference.md#call-and-invitations): makes the caller's Call, turns an incoming
 * invite into a ReceivedCallInvitation (or an auto-accepted screen-share Call) and keeps every
 * Call by id until it ends. Without `allowMultipleCalls(true)` a second call is refused: an
 * outgoing one returns null, an incoming one is declined `User_Busy`.
 */
export class CallBook {
  readonly #port: PeerPort;
  readonly #ua: () => UserAgent;
  readonly #sink: CallSink;
  readonly #acceptScreenSharing: boolean;
  readonly #calls = new Map<string, Call>();
  /** Incoming calls not answered yet: they make the user busy too. */
  readonly #ringing = new Set<ReceivedCallInvitation>();
  #allowMultiple = false;

  constructor(port: PeerPort, ua: () => UserAgent, sink: CallSink, opts: { userAcceptOnIncomingScreenSharingCall: boolean }) {
    this.#port = port;
    this.#ua = ua;
    this.#sink = sink;
    this.#acceptScreenSharing = opts.userAcceptOnIncomingScreenSharingCall;
  }

  set allowMultiple(v: boolean) {
    this.#allowMultiple = v;
  }

  get(id: string): Call | undefined {
    return this.#calls.get(id);
  }

  all(): { [callId: string]: Call } {
    return Object.fromEntries(this.#calls);
  }

  /** `contact.call(stream, opts)`: null (logged) when another call is running and multiple calls are not allowed. */
  call(contact: Contact, stream: Stream | null, opts: CallOptions): Call | null {
    if (this.#isSelf(contact, 'call')) return null;
    if (this.#busy()) {
      log.error('call() - a call is already ongoing (see session.allowMultipleCalls)');
      return null;
    }
    const media = mediaOf(opts.audioOnly === true ? 'AUDIO' : opts.mediaTypeForOutgoingCall, 'VIDEO');
    const callType = stream ? callTypeOf({ audio: stream.hasAudio(), video: stream.hasVideo() }) : callTypeOf(media);
    return this.#start(contact, callType, () => this.#local(stream, media), expiryOf(opts.expirationTime));
  }

  /** `contact.shareScreen(opts)`: a call sending a screen capture. */
  shareScreen(contact: Contact, _opts: { captureSourceType?: unknown }): Call | null {
    if (this.#isSelf(contact, 'shareScreen')) return null;
    if (this.#busy()) {
      log.error('shareScreen() - a call is already ongoing (see session.allowMultipleCalls)');
      return null;
    }
    return this.#start(contact, 'screenSharing', async () => ({
      stream: await Stream.createDisplayMediaStream({ video: true, audio: false }),
      acquired: true,
    }));
  }

  /** An invite from `from` arrived for session `id`. */
  incoming(from: Contact, id: string, what: 'call' | 'screenCall', callType: string, expiresInMs = CALL_INVITATION_EXPIRY_MS): void {
    if (this.#busy()) {
      this.#port.send(from.getId(), id, { kind: 'decline', reason: USER_BUSY }).catch(() => undefined);
      return;
    }
    const invitation = new ReceivedCallInvitation(from, id, callType, {
      port: this.#port,
      answer: (stream, opts) => this.#answer(from, id, callType, stream, opts),
      expiresInMs,
    });
    this.#ringing.add(invitation);
    invitation.on('statusChange', () => this.#ringing.delete(invitation));
    if (what === 'call') this.#sink.incomingCall(invitation);
    else if (this.#acceptScreenSharing) this.#sink.incomingScreenSharingCallInvitation(invitation);
    else {
      void invitation.accept(null, { mediaTypeForIncomingCall: 'NONE' }).then((call) => this.#sink.incomingScreenSharingCall(call));
    }
  }

  #start(
    contact: Contact,
    callType: PeerCallType,
    local: () => Promise<{ stream: Stream | null; acquired: boolean }>,
    expiresInMs = CALL_INVITATION_EXPIRY_MS,
  ): Call {
    const id = randomNumericId();
    const call = new Call(id, contact, {
      port: this.#port,
      role: 'caller',
      callType,
      localStream: local,
      quality: this.#quality(),
      expiresInMs,
      ended: () => this.#calls.delete(id),
    });
    this.#calls.set(id, call);
    call.start();
    return call;
  }

  #answer(from: Contact, id: string, callType: string, stream: Stream | null, opts: AnswerOptions): Call {
    const media = mediaOf(opts.mediaTypeForIncomingCall, answerMediaFor(callType));
    const call = new Call(id, from, {
      port: this.#port,
      role: 'callee',
      callType: callType === 'screenSharing' ? 'screenSharing' : callTypeOf(media),
      localStream: () => this.#local(stream, media),
      remoteSends: callType !== 'none',
      quality: this.#quality(),
      ended: () => this.#calls.delete(id),
    });
    this.#calls.set(id, call);
    call.answer();
    return call;
  }

  async #local(stream: Stream | null, media: { audio: boolean; video: boolean } | null): Promise<{ stream: Stream | null; acquired: boolean }> {
    if (stream) return { stream, acquired: false };
    if (!media) return { stream: null, acquired: false };
    return { stream: await this.#ua().createStream({ constraints: media }), acquired: true };
  }

  #quality(): QualitySettings {
    return this.#ua()[SETTINGS].quality;
  }

  #isSelf(contact: Contact, method: string): boolean {
    if (contact.getId() !== this.#port.selfId()) return false;
    log.error(`${method}() - cannot call yourself`);
    return true;
  }

  #busy(): boolean {
    if (this.#allowMultiple) return false;
    return this.#ringing.size > 0 || [...this.#calls.values()].some((c) => c.getStatus() !== CALL_STATUS_ENDED);
  }
}
