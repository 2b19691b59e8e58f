import type { PeerSignalPayload } from '@parley/protocol';
import type { Engine } from '../../engine/Engine.js';
import { log } from '../../util/Logger.js';
import type { Call } from '../Call.js';
import type { Contact, ContactPeers } from '../Contact.js';
import type { DataChannel } from '../DataChannel.js';
import { EMIT } from '../internal.js';
import type { Conversation } from '../Conversation.js';
import { ReceivedConversationInvitation } from '../invitations/ReceivedConversationInvitation.js';
import { CONVERSATION_INVITATION_EXPIRY_MS, SentConversationInvitation } from '../invitations/SentConversationInvitation.js';
import type { SentInvitation } from '../invitations/SentInvitation.js';
import { randomNumericId } from '../../util/ids.js';
import type { SessionEvents } from '../session/events.js';
import type { Stream } from '../Stream.js';
import type { UserAgent } from '../UserAgent.js';
import { ChannelBook } from '../datachannel/ChannelBook.js';
import { CallBook } from './CallBook.js';
import { PeerSessions } from './PeerSessions.js';

/** Registration options about incoming peer sessions (docs/sdk-reference.md#registration). */
export interface PeerOptions {
  userAcceptOnIncomingScreenSharingCall: boolean;
  userAcceptOnIncomingDataCall: boolean;
}

/** What {@link SessionPeers} needs from its Session. */
export interface SessionPeersDeps {
  selfId: () => string;
  contact: (id: string) => Contact;
  ua: () => UserAgent;
  /** The session's Conversation of that name (created when unknown). */
  conversation: (name: string) => Conversation;
  emit: SessionEmit;
  options: PeerOptions;
}

/** The Session's emit, for the peer-session events. */
export interface SessionEmit {
  (name: 'incomingCall' | 'incomingScreenSharingCallInvitation', payload: SessionEvents['incomingCall']): void;
  (name: 'incomingScreenSharingCall', payload: SessionEvents['incomingScreenSharingCall']): void;
  (name: 'fileTransferInvitation', payload: SessionEvents['fileTransferInvitation']): void;
  (name: 'dataChannelInvitation', payload: SessionEvents['dataChannelInvitation']): void;
  (name: 'conversationInvitation', payload: SessionEvents['conversationInvitation']): void;
}

/**
 * Everything peer to peer a Session offers: 1-1 calls ({@link CallBook}), and the signalling they
 * share ({@link PeerSessions}). Announces incoming sessions on the Session, then on the sender's
 * Contact (same order as the other contact deliveries).
 */
export class SessionPeers implements ContactPeers {
  readonly sessions: PeerSessions;
  readonly calls: CallBook;
  readonly channels: ChannelBook;

  readonly #port: PeerSessions;
  readonly #deps: SessionPeersDeps;

  constructor(engine: Engine, deps: SessionPeersDeps) {
    const { emit } = deps;
    this.sessions = new PeerSessions({
      selfId: deps.selfId,
      contact: deps.contact,
      request: async (to, session, payload) => {
        await engine.request({ type: 'peer.signal', to, session, payload });
      },
      report: (state, detail) => log.debug(`peer connection ${detail}: ${state}`),
      iceServers: () => engine.iceServers,
    });
    this.calls = new CallBook(
      this.sessions,
      deps.ua,
      {
        incomingCall: (invitation) => {
          emit('incomingCall', invitation);
          invitation.getSender()?.[EMIT]('incomingCall', invitation);
        },
        incomingScreenSharingCall: (call) => {
          emit('incomingScreenSharingCall', call);
          call.getContact()?.[EMIT]('incomingScreenSharingCall', call);
        },
        incomingScreenSharingCallInvitation: (invitation) => {
          emit('incomingScreenSharingCallInvitation', invitation);
          invitation.getSender()?.[EMIT]('incomingScreenSharingCallInvitation', invitation);
        },
      },
      deps.options,
    );
    this.channels = new ChannelBook(
      this.sessions,
      {
        dataChannelInvitation: (invitation) => {
          emit('dataChannelInvitation', invitation);
          invitation.getSender()?.[EMIT]('dataChannelInvitation', invitation);
        },
        fileTransferInvitation: (invitation) => {
          emit('fileTransferInvitation', invitation);
          invitation.getSender()?.[EMIT]('fileTransferInvitation', invitation);
        },
      },
      deps.options,
    );
    this.#port = this.sessions;
    this.#deps = deps;
    this.sessions.invites = {
      invite: (from, session, payload) => this.#invite(from, session, payload),
      conversationInvite: (from, session, name, expiresInMs) => {
        const invitation = new ReceivedConversationInvitation(from, deps.conversation(name), session, { port: this.#port, expiresInMs });
        emit('conversationInvitation', invitation);
        from[EMIT]('conversationInvitation', invitation);
      },
    };
    engine.on('peerSignal', (event) => this.sessions.dispatch(event));
  }

  call(contact: Contact, stream: Stream | null, opts: object): Call | null {
    return this.calls.call(contact, stream, opts);
  }

  shareScreen(contact: Contact, opts: object): Call | null {
    return this.calls.shareScreen(contact, opts);
  }

  sendFile(contact: Contact, fileInfo: { name: string; type: string }, data: unknown, _opts: object): SentInvitation | null {
    return this.channels.sendFile(contact, fileInfo, data);
  }

  startDataChannel(contact: Contact, _opts: object): DataChannel | null {
    return this.channels.startDataChannel(contact);
  }

  /** `conversation.sendInvitation(contact, opts)`; null (logged) for the local user. */
  invite(contact: Contact, conversation: Conversation, opts: { expirationTime?: number }): SentInvitation | null {
    if (contact.getId() === this.#deps.selfId()) {
      log.error('sendInvitation() - cannot invite yourself');
      return null;
    }
    const seconds = Number(opts.expirationTime);
    const expiresInMs = Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.round(seconds * 1000), 86_400_000) : CONVERSATION_INVITATION_EXPIRY_MS;
    const invitation = new SentConversationInvitation(contact, conversation, randomNumericId(), { port: this.#port, expiresInMs });
    invitation.start(conversation.getName());
    return invitation;
  }

  /** The signalling session closed for good. */
  sessionEnded(): void {
    this.sessions.sessionEnded();
  }

  #invite(from: Contact, session: string, payload: Extract<PeerSignalPayload, { kind: 'invite' }>): void {
    switch (payload.what) {
      case 'call':
      case 'screenCall':
        this.calls.incoming(from, session, payload.what, payload.callType ?? (payload.what === 'call' ? 'media' : 'screenSharing'), payload.expiresInMs);
        return;
      case 'dataChannel':
        this.channels.incomingChannel(from, session);
        return;
      case 'file':
        this.channels.incomingFile(from, session, payload.file);
        return;
    }
  }
}
