import type { StreamDescriptor } from '@parley/protocol';
import { EMIT } from '../internal.js';
import { REMOTE_STATE } from '../Stream.js';
import type { AnnouncedStreams } from './AnnouncedStreams.js';
import type { ConversationScope, ConversationServerEvent } from './context.js';
import type { ConversationMedia } from './ConversationMedia.js';
import type { ConversationQuality } from './ConversationQuality.js';
import type { ConversationRecording } from './ConversationRecording.js';
import { emitIncoming } from './messaging.js';
import type { PublicationSet } from './PublicationSet.js';
import { constraintParts } from './relay.js';
import type { SubscriptionSet } from './SubscriptionSet.js';

/** The parts of a joined conversation the server's events and the media plane's reports reach. */
export interface ConversationEventTargets {
  scope: ConversationScope;
  media: ConversationMedia;
  streams: AnnouncedStreams;
  pubs: PublicationSet;
  subs: SubscriptionSet;
  recording: ConversationRecording;
  quality: ConversationQuality;
}

/**
 * Routes the server events of a joined conversation to the part each concerns (stream
 * announcements, subscriptions, media signalling, messaging, relay, recording, speaker
 * detection), reports the media plane's ICE trouble, and runs the mesh ↔ SFU switch the server
 * announces. JoinedConversation owns the parts and the join state; it hands events here once
 * moderation had its say and the conversation is joined.
 */
export class ConversationEventRouter {
  readonly #t: ConversationEventTargets;

  constructor(targets: ConversationEventTargets) {
    this.#t = targets;
  }

  /** A server event of the joined conversation. */
  route(e: ConversationServerEvent): void {
    const { scope, media, subs, pubs } = this.#t;
    switch (e.type) {
      case 'conv.stream':
        this.#onStream(e.change, e.stream);
        return;
      case 'conv.subscriptionEnded':
        // Subscriptions ended by a mode switch are renewed by the SDK itself.
        if (!media.switching && !/mode/i.test(e.reason)) subs.end(e.streamId, 'remote', e.reason, true);
        return;
      case 'media.subscriberOffer':
      case 'media.candidate':
      case 'mesh.signal':
        media.handleSignal(e);
        return;
      case 'conv.modeChanged':
        if (e.state === 'ongoing' && e.newMode !== media.mode) void this.#switchMode(e.oldMode, e.newMode);
        return;
      case 'conv.mediaRestart':
        // The server lost this conversation's media (a media worker died): same as a switch
        // to the same mode, without the roomModeChanged events (the mode did not change).
        if (media.mode === 'sfu') void this.#restartMedia();
        return;
      case 'conv.message':
      case 'conv.data':
      case 'conv.customEvent':
        emitIncoming(e, { ctx: scope.ctx, conversation: scope.conversation, name: scope.name, emit: scope.emit });
        return;
      case 'conv.relayRequest':
        void pubs.answerRelay(e);
        return;
      case 'conv.constraintsChanged':
        subs.stream(e.streamId)?.[EMIT]('constraintsChanged', constraintParts(e.constraints));
        return;
      case 'conv.recording':
        this.#t.recording.onEvent(e);
        return;
      case 'conv.audioAmplitude':
        this.#t.quality.onRemote(e);
        return;
      case 'conv.simulcastFeedChanged': {
        const callId = this.#t.streams.get(e.streamId)?.callId ?? String(e.streamId);
        scope.emit('simulcastFeedChanged', { streamId: e.streamId, callId, simulcast: { streamQuality: e.quality, streamFrameRate: 'high' } });
        return;
      }
      case 'conv.dominantSpeaker':
        scope.emit('dominantSpeakerChanged', { streamId: e.streamId, contact: scope.ctx.contact(e.contactId) });
        return;
    }
  }

  /** The media plane's report of an ICE transport in trouble (`detail`: which one). */
  ice(state: 'disconnected' | 'failed', detail: string): void {
    const { scope, pubs, subs, streams } = this.#t;
    if (!scope.joined()) return;
    const ids = detail === 'publisher' ? pubs.all().map((p) => p.streamId) : subs.all().map((s) => s.streamId);
    if (state === 'disconnected') {
      for (const id of ids) {
        const streamInfo = streams.infoOf(id);
        if (streamInfo) scope.emit('disconnectionWarning', { streamInfo });
      }
      return;
    }
    scope.emit('error', { errorCode: 'ICE_CONNECTION_STATE_FAILED', errorInfo: `${detail} ICE connection failed`, descriptor: { transport: detail } });
  }

  #onStream(change: 'added' | 'removed' | 'updated', d: StreamDescriptor): void {
    const { scope, streams, subs } = this.#t;
    const emit = scope.emit;
    if (change === 'removed') {
      if (!streams.delete(d.streamId)) return;
      emit('streamListChanged', streams.info(d, 'removed'));
      subs.end(d.streamId, 'remote', 'unpublished', true);
    } else {
      const before = streams.takeResync(d.streamId);
      if (before) {
        // Re-announced after a re-join: only a real change is reported.
        streams.set(d);
        if (JSON.stringify(before) !== JSON.stringify(d)) emit('streamListChanged', streams.info(d, 'updated'));
        return;
      }
      const known = streams.has(d.streamId);
      streams.set(d);
      emit('streamListChanged', streams.info(d, known ? 'updated' : change));
      const stream = subs.stream(d.streamId);
      if (known && stream) {
        stream[REMOTE_STATE](!d.isAudioMuted, !d.isVideoMuted);
        emit('remoteStreamUpdated', {
          callId: d.callId,
          streamId: d.streamId,
          audio: d.hasAudio,
          audioMuted: d.isAudioMuted,
          video: d.hasVideo,
          videoMuted: d.isVideoMuted,
          cause: 'userAction',
        });
      }
    }
    emit('availableStreamsUpdated', streams.available());
  }

  /**
   * Mesh → SFU (or back): the media plane is replaced and sends the already-published streams
   * (same ids, no announcement); the subscriptions are renewed (`streamRemoved(old)` then
   * `streamAdded(new)`, same streamId, no streamListChanged).
   */
  async #switchMode(oldMode: 'sfu' | 'mesh', newMode: 'sfu' | 'mesh'): Promise<void> {
    const { scope, media } = this.#t;
    media.setSwitching(true);
    const epoch = scope.epoch();
    scope.emit('roomModeChanged', { oldMode, newMode, state: 'ongoing' });
    if (await this.#replacePlane(newMode, 'after the mode switch')) return;
    if (epoch !== scope.epoch()) return;
    scope.emit('roomModeChanged', { oldMode, newMode, state: 'complete' });
  }

  /** A fresh SFU plane: the server's media for this conversation was lost and is placed anew. */
  async #restartMedia(): Promise<void> {
    await this.#replacePlane('sfu', 'after the server restarted its media');
  }

  /**
   * Replaces the media plane by one of `mode`, re-publishes the ready streams on it and renews
   * the subscriptions. @returns true when the conversation was left meanwhile
   */
  async #replacePlane(mode: 'sfu' | 'mesh', what: string): Promise<boolean> {
    const { scope, media, pubs, subs } = this.#t;
    media.setSwitching(true);
    const epoch = scope.epoch();
    media.switchTo(mode);
    const renewed = subs.takeAll();
    await media.republish(
      pubs
        .all()
        .filter((p) => p.ready)
        .map((p) => p.media),
    );
    if (epoch !== scope.epoch()) return true;
    await subs.renew(renewed, what);
    media.setSwitching(false);
    return epoch !== scope.epoch();
  }
}
