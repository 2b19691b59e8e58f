import { CallModel, LOCAL_KEY, LOCAL_SCREEN_KEY, namesSentence, type TileSpec } from './call-model.js';
import { inviteLink, type MeetConfig } from './config.js';
import { byId } from './dom.js';
import { MeetingModeration } from './MeetingModeration.js';
import { RoomChat } from './room-chat.js';
import { formatTileStats, tileStats } from './stats-format.js';
import { loadEarlier, receivedFile, shareFile } from './room-files.js';
import { ChatPanel } from './views/ChatPanel.js';
import { ConnectionStatus } from './views/ConnectionStatus.js';
import { describe, setToggle, type LocalMedia } from './views/LocalMedia.js';
import { PeoplePanel, type PeopleRow } from './views/PeoplePanel.js';
import { RecordingControl } from './views/RecordingControl.js';
import { Stage } from './views/Stage.js';
import type { Toasts } from './views/Toasts.js';

type Panel = 'chat' | 'people' | 'settings';
const PANELS: readonly Panel[] = ['chat', 'people', 'settings'];
const PANEL_LABELS: Record<Panel, [open: string, close: string]> = {
  chat: ['Open chat', 'Close chat'],
  people: ['Show participants', 'Hide participants'],
  settings: ['Open settings', 'Close settings'],
};

/** How long after joining the members already present are announced as one toast. */
const ARRIVAL_BATCH_MS = 1500;
/** How often each tile's stats line (bit rate, loss, round trip, MOS) is refreshed. */
const STATS_INTERVAL_MS = 2000;

/**
 * One call in a room: the Conversation `room` joined with the public SDK exactly as an apiRTC
 * app does it (listeners, join, publish, subscribe on streamListChanged, display on
 * streamAdded), plus the views of the call screen. `leave()` ends it; a new Meeting is made for
 * the next call.
 */
export class Meeting {
  readonly #model = new CallModel();
  readonly #chat = new RoomChat();
  readonly #remote = new Map<string, apiRTC.Stream>();
  readonly #stage: Stage;
  readonly #chatPanel: ChatPanel;
  readonly #people = new PeoplePanel();
  readonly #connection: ConnectionStatus;
  readonly #conversation: apiRTC.Conversation;
  readonly #moderation: MeetingModeration;
  readonly #cleanup: (() => void)[] = [];
  #screen: apiRTC.Stream | null = null;
  #sharing: Promise<void> | null = null;
  #closed = false;
  #arrivals: string[] | null = null;
  #panel: Panel | null = null;

  constructor(
    private readonly session: apiRTC.Session,
    private readonly myName: string,
    private readonly room: string,
    private readonly config: MeetConfig,
    private readonly media: LocalMedia,
    private readonly toasts: Toasts,
    stage: Stage,
    connection: ConnectionStatus,
    private readonly onLeave: (reason?: string) => void,
  ) {
    this.#stage = stage;
    this.#connection = connection;
    // In a moderated room everyone asks for the role: the server gives it to the first one in.
    this.#conversation = session.getOrCreateConversation(room, config.moderated ? { moderationEnabled: true, moderator: true } : {});
    this.#moderation = new MeetingModeration(this.#conversation, { toasts, render: () => this.#render(), leave: (reason) => this.onLeave(reason) });
    this.#chatPanel = new ChatPanel(
      this.#chat,
      (text) => void this.#send(text),
      (file) => void shareFile(this.#conversation, this.#chat, this.session.getId(), file, describe),
    );
    this.#chat.onChange = () => {
      this.#chatPanel.render();
      const unread = this.#chat.unread;
      document.title = `${unread > 0 ? `(${unread}) ` : ''}${this.room} · Parley Meet`;
    };
    this.#chatPanel.render();
    this.#wireControls();
    this.#wireConversation();
    this.#wireSession();
  }

  /** Joins the room and publishes the camera/microphone. Rejects when the join fails. */
  async start(): Promise<void> {
    byId('room-name').textContent = this.room;
    const link = inviteLink(location.href, { apiKey: this.config.apiKey, room: this.room, moderated: this.config.moderated });
    byId<HTMLInputElement>('invite-link').value = link;
    document.title = `${this.room} · Parley Meet`;
    this.#connection.set('connected');
    this.#render();
    // Speaker highlight and the per-tile stats line (the whole page is this one meeting).
    const ua = this.session.getUserAgent();
    ua.enableActiveSpeakerDetecting(true);
    ua.enableCallStatsMonitoring(true, { interval: STATS_INTERVAL_MS });
    await this.#moderation.join();
    if (this.#closed) return;
    void loadEarlier(this.#conversation, this.session, this.#chat);
    this.#arrivals = [];
    setTimeout(() => this.#flushArrivals(), ARRIVAL_BATCH_MS);
    await this.media.ready();
    const stream = this.media.stream;
    if (stream && !this.#closed) {
      try {
        await this.#conversation.publish(stream);
      } catch (error) {
        this.toasts.show(`Your camera could not be sent: ${describe(error)}`, 'error', 8000);
      }
    }
    this.#render();
  }

  /** Leaves the room (unpublishes and unsubscribes everything) and stops reacting to events. */
  async leave(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#moderation.close();
    this.#stopShare();
    for (const undo of this.#cleanup) undo();
    if (this.#conversation.isJoined()) await this.#conversation.leave().catch(() => undefined);
    this.#conversation.destroy();
    this.#remote.clear();
    this.#stage.clear();
    this.#connection.hide();
    this.#chat.clear();
    this.#setPanel(null);
  }

  // ---------- SDK events ----------

  #wireConversation(): void {
    const conv = this.#conversation;
    conv.on('audioAmplitude', (e) => {
      if (!this.#closed) this.#stage.setSpeaking(this.#tileKey(e.streamId), e.isSpeaking);
    });
    conv.on('callStatsUpdate', (e) => {
      if (!this.#closed) this.#stage.setStats(this.#tileKey(e.streamId), formatTileStats(tileStats(e.stats)));
    });
    conv.on('streamListChanged', (info) => {
      if (this.#closed || !info.isRemote) return;
      const streamId = String(info.streamId);
      if (info.listEventType === 'removed') {
        this.#model.streamUnlisted(streamId);
        const stream = this.#remote.get(streamId);
        this.#remote.delete(streamId);
        if (stream) conv.unsubscribeToStream(streamId);
        this.#render();
        return;
      }
      this.#model.streamListed({
        streamId,
        contactId: info.contact.getId(),
        contactName: info.contact.getUsername(),
        screen: info.isScreensharing === true,
        hasAudio: info.hasAudio !== false,
        hasVideo: info.hasVideo !== false,
        audioMuted: info.isAudioMuted === true,
        videoMuted: info.isVideoMuted === true,
      });
      if (info.listEventType === 'added') {
        conv.subscribeToStream(info.streamId).catch((error: unknown) => {
          if (!this.#closed) this.toasts.show(`Could not receive ${info.contact.getUsername()}'s media: ${describe(error)}`, 'error', 8000);
        });
      }
      this.#render();
    });
    conv.on('streamAdded', (stream) => {
      if (this.#closed) return;
      const streamId = String(stream.streamId);
      this.#remote.set(streamId, stream);
      stream.on('remoteAudioFlowStatusChanged', (status) => {
        this.#model.streamFlow(streamId, 'audio', status.enabled);
        this.#render();
      });
      stream.on('remoteVideoFlowStatusChanged', (status) => {
        this.#model.streamFlow(streamId, 'video', status.enabled);
        this.#render();
      });
      this.#render();
    });
    conv.on('streamRemoved', (stream) => {
      if (this.#closed) return;
      const streamId = String(stream.streamId);
      // A renewal (docs/sdk-reference.md#join-publish-and-subscribe-order, step 6) removes the old Stream object, then adds a new one.
      if (this.#remote.get(streamId) === stream) this.#remote.delete(streamId);
      this.#render();
    });
    conv.on('remoteStreamIdUpdated', (update) => {
      if (this.#closed) return;
      const oldId = String(update.oldStreamId);
      const newId = String(update.newStreamId);
      this.#model.streamRenamed(oldId, newId);
      const stream = this.#remote.get(oldId);
      this.#remote.delete(oldId);
      if (stream && !this.#remote.has(newId)) this.#remote.set(newId, stream);
      this.#render();
    });
    conv.on('contactJoined', (contact) => {
      if (this.#closed) return;
      const name = contact.getUsername();
      if (this.#model.memberJoined(contact.getId(), name)) {
        if (this.#arrivals) this.#arrivals.push(name);
        else this.toasts.show(`${name} joined`, 'join');
      }
      this.#render();
    });
    conv.on('contactLeft', (contact) => {
      if (this.#closed) return;
      const member = this.#model.memberLeft(contact.getId());
      for (const [streamId, stream] of this.#remote) {
        if (stream.getContact()?.getId() === contact.getId()) this.#remote.delete(streamId);
      }
      if (member) this.toasts.show(`${member.name} left`, 'leave');
      this.#render();
    });
    conv.on('message', (message) => {
      if (this.#closed) return;
      const time = message.time instanceof Date ? message.time : new Date();
      this.#chat.received(message.sender.getId(), message.sender.getUsername(), message.content, time, { id: String(message.uuid) });
      if (!this.#chat.isOpen) this.toasts.show(`${message.sender.getUsername()}: ${message.content}`, 'chat');
    });
    conv.on('newMediaAvailable', ({ sender, media }) => {
      if (this.#closed) return;
      receivedFile(this.#chat, sender, media);
      if (!this.#chat.isOpen) this.toasts.show(`${sender.getUsername()} sent a file: ${media.name}`, 'chat');
    });
  }

  #wireSession(): void {
    this.session.on('reconnecting', () => {
      if (!this.#closed) this.#connection.set('reconnecting');
    });
    this.session.on('reconnection', () => {
      if (this.#closed) return;
      this.#connection.set('connected');
      this.toasts.show('Reconnected', 'info');
    });
    this.session.on('disconnect', () => {
      if (!this.#closed) this.#connection.set('disconnected', () => this.onLeave('rejoin'));
    });
  }

  #flushArrivals(): void {
    const names = this.#arrivals ?? [];
    this.#arrivals = null;
    if (this.#closed || names.length === 0) return;
    this.toasts.show(`${namesSentence(names)} ${names.length === 1 ? 'is' : 'are'} here`, 'join');
  }

  // ---------- controls ----------

  #wireControls(): void {
    const on = <K extends keyof HTMLElementEventMap>(target: EventTarget, type: K, fn: (event: HTMLElementEventMap[K]) => void): void => {
      target.addEventListener(type, fn as EventListener);
      this.#cleanup.push(() => target.removeEventListener(type, fn as EventListener));
    };
    on(byId('mic-btn'), 'click', () => void this.media.toggle('audio'));
    on(byId('cam-btn'), 'click', () => void this.media.toggle('video'));
    on(byId('share-btn'), 'click', () => void this.toggleShare());
    const recording = new RecordingControl(this.#conversation, byId<HTMLButtonElement>('rec-btn'), byId<HTMLAnchorElement>('rec-link'), this.toasts);
    recording.refresh();
    on(byId('rec-btn'), 'click', () => void recording.toggle());
    // Mobile browsers cannot capture the screen: no button rather than one that fails.
    byId('share-btn').hidden = typeof navigator.mediaDevices?.getDisplayMedia !== 'function';
    on(byId('chat-btn'), 'click', () => this.#setPanel(this.#panel === 'chat' ? null : 'chat'));
    on(byId('people-btn'), 'click', () => this.#setPanel(this.#panel === 'people' ? null : 'people'));
    on(byId('chat-close'), 'click', () => this.#setPanel(null));
    on(byId('people-close'), 'click', () => this.#setPanel(null));
    on(byId('settings-btn'), 'click', () => this.#setPanel(this.#panel === 'settings' ? null : 'settings'));
    on(byId('settings-close'), 'click', () => this.#setPanel(null));
    on(byId('leave-btn'), 'click', () => this.onLeave());
    on(byId('invite-btn'), 'click', () => void this.#copyInvite());
    on(byId('invite-copy'), 'click', () => void this.#copyInvite());
    on(document, 'keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.key === 'm' || event.key === 'M') void this.media.toggle('audio');
      else if (event.key === 'v' || event.key === 'V') void this.media.toggle('video');
      else if (event.key === 'Escape' && this.#panel) this.#setPanel(null);
    });
    const previous = this.media.onChange;
    this.media.onChange = () => {
      previous();
      this.#render();
    };
    // A device switch in the call replaces the published stream (no unpublish/republish).
    this.media.replaceHook = async (old, next) => {
      const conv = this.#conversation;
      if (!conv.isJoined()) return;
      if (old && conv.isPublishedStream(old)) await conv.replacePublishedStream(old, next);
      else await conv.publish(next);
    };
    this.media.onSwitchError = (message) => this.toasts.show(message, 'error', 6000);
    this.#cleanup.push(() => {
      this.media.onChange = previous;
      this.media.replaceHook = null;
      this.media.onSwitchError = () => undefined;
    });
  }

  /** Starts or stops sharing the screen. */
  toggleShare(): Promise<void> {
    if (this.#sharing) return this.#sharing;
    if (this.#screen) {
      this.#stopShare();
      return Promise.resolve();
    }
    this.#sharing = this.#startShare().finally(() => {
      this.#sharing = null;
    });
    return this.#sharing;
  }

  async #startShare(): Promise<void> {
    let screen: apiRTC.Stream;
    try {
      screen = await apiRTC.Stream.createDisplayMediaStream({ video: { cursor: 'always' }, audio: false } as DisplayMediaStreamOptions, false);
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name !== 'NotAllowedError' && name !== 'AbortError') this.toasts.show(`Screen sharing failed: ${describe(error)}`, 'error');
      return;
    }
    if (this.#closed) {
      screen.release();
      return;
    }
    this.#screen = screen;
    // The browser's own "Stop sharing" button ends the capture: the Stream emits `stopped`.
    screen.on('stopped', () => {
      if (this.#screen === screen) this.#stopShare();
    });
    this.#render();
    try {
      await this.#conversation.publish(screen);
    } catch (error) {
      this.toasts.show(`Your screen could not be shared: ${describe(error)}`, 'error');
      if (this.#screen === screen) this.#stopShare();
    }
  }

  #stopShare(): void {
    const screen = this.#screen;
    if (!screen) return;
    this.#screen = null;
    if (this.#conversation.isJoined()) this.#conversation.unpublish(screen);
    screen.release();
    this.#render();
  }

  #setPanel(panel: Panel | null): void {
    this.#panel = panel;
    for (const name of PANELS) {
      byId(`${name}-panel`).hidden = panel !== name;
      const button = byId(`${name}-btn`);
      button.setAttribute('aria-pressed', String(panel === name));
      button.setAttribute('aria-label', PANEL_LABELS[name][panel === name ? 1 : 0]);
    }
    byId('call-view').dataset.panel = panel ?? 'none';
    if (this.#chat.isOpen !== (panel === 'chat')) this.#chat.setOpen(panel === 'chat');
    if (panel === 'chat') {
      this.toasts.clear('chat');
      this.#chatPanel.focus();
    }
  }

  async #copyInvite(): Promise<void> {
    const input = byId<HTMLInputElement>('invite-link');
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      // No clipboard permission (or an insecure origin): fall back to a selection copy.
      const hiddenPanel = byId('people-panel').hidden;
      if (hiddenPanel) this.#setPanel('people');
      input.select();
      if (!document.execCommand('copy')) {
        this.toasts.show('Copy the link from the participants panel', 'info');
        return;
      }
    }
    this.toasts.show('Invite link copied', 'info');
  }

  async #send(text: string): Promise<void> {
    const message = this.#chat.sending(this.session.getId(), 'You', text);
    try {
      const uuid = await this.#conversation.sendMessage(text);
      this.#chat.delivered(message, { id: String(uuid) });
    } catch (error) {
      this.#chat.failed(message, describe(error));
    }
  }

  // ---------- rendering ----------

  #render(): void {
    if (this.#closed) return;
    const me = { id: this.session.getId(), name: this.#myName() };
    const local = {
      ...me,
      hasStream: this.media.stream !== null,
      audioOn: this.media.audioOn,
      videoOn: this.media.videoOn,
      sharing: this.#screen !== null,
    };
    const tiles = this.#model.tiles(local);
    this.#stage.render(tiles, (spec) => this.#streamFor(spec));

    setToggle(byId<HTMLButtonElement>('mic-btn'), local.audioOn, 'microphone', 'M');
    setToggle(byId<HTMLButtonElement>('cam-btn'), local.videoOn, 'camera', 'V');
    byId<HTMLButtonElement>('mic-btn').disabled = !this.media.stream?.hasAudio();
    byId<HTMLButtonElement>('cam-btn').disabled = !this.media.stream?.hasVideo();
    const share = byId('share-btn');
    share.setAttribute('aria-pressed', String(local.sharing));
    share.setAttribute('aria-label', local.sharing ? 'Stop sharing your screen' : 'Share your screen');
    share.dataset.tip = local.sharing ? 'Stop sharing' : 'Share your screen';

    const rows: PeopleRow[] = [
      { ...me, me: true, state: { audioMuted: !local.audioOn, videoMuted: !local.videoOn, sharing: local.sharing } },
      ...this.#model.members().map((m) => ({ id: m.id, name: m.name, me: false, state: this.#model.memberState(m.id) })),
    ];
    const moderation = this.#moderation;
    this.#people.render(rows, moderation.isModerator ? (row) => void moderation.remove(row.id, row.name) : undefined);
    moderation.render();
  }

  #streamFor(spec: TileSpec): apiRTC.Stream | null {
    if (spec.key === LOCAL_KEY) return this.media.stream;
    if (spec.key === LOCAL_SCREEN_KEY) return this.#screen;
    return spec.streamId ? (this.#remote.get(spec.streamId) ?? null) : null;
  }

  /** The stage key of the tile that shows stream `streamId`. */
  #tileKey(streamId: number): string {
    if (this.media.stream && this.media.stream.streamId === streamId) return LOCAL_KEY;
    if (this.#screen && this.#screen.streamId === streamId) return LOCAL_SCREEN_KEY;
    return `stream-${streamId}`;
  }

  #myName(): string {
    return this.myName;
  }
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}
