import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ConvRecordingEvent, ErrorCode, ParleyError, type RecordingInfo, type RequestOf } from '@parley/protocol';
import type { RecordingConfig } from '../config/Config.js';
import type { Conversation } from '../conversation/Conversation.js';
import type { ConversationService } from '../conversation/ConversationService.js';
import type { Logger } from '../logging/logger.js';
import type { MediaTrack as PublishedTrack } from '../media/MediaApi.js';
import type { HandlerTable } from '../session/RequestHandler.js';
import type { UserSession } from '../session/UserSession.js';
import { CompositeRecorder } from './CompositeRecorder.js';
import type { FfmpegTools } from './FfmpegTools.js';
import { RecordingComposer } from './RecordingComposer.js';
import { RECORDING_PATH } from './recordingRoutes.js';
import type { RecordingOptions, RecordingRow, RecordingStore } from './RecordingStore.js';
import { UrlSigner } from './UrlSigner.js';

/** Dependencies of {@link RecordingService}. */
export interface RecordingServiceDeps {
  config: RecordingConfig;
  dataDir: string;
  store: RecordingStore;
  tools: FfmpegTools;
  conversations: ConversationService;
  log: Logger;
}

interface Active {
  conversation: Conversation;
  recorder: CompositeRecorder;
  row: RecordingRow;
}

const MODES = new Set(['complete', 'efficient', 'audioOnly']);
const HOUR_MS = 3_600_000;
/** Wait before composing recordings a killed server left (their captures are closing their files). */
const RECOVERY_DELAY_MS = 2_000;

/**
 * Composite recording of conversations: `conv.startRecording` / `conv.stopRecording`, the
 * `conv.recording` events, the signed download URLs, the files under `<dataDir>/recordings`,
 * finishing recordings a crash left behind, and retention. One recording per conversation at a
 * time; a mesh conversation moves to the SFU first, since the server records what it forwards.
 */
export class RecordingService {
  readonly #deps: RecordingServiceDeps;
  readonly #signer: UrlSigner;
  readonly #composer: RecordingComposer;
  readonly #active = new Map<Conversation, Active>();
  readonly #convIds = new WeakMap<Conversation, string>();
  readonly #root: string;
  #baseUrl = '';
  #retention: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(deps: RecordingServiceDeps) {
    this.#deps = deps;
    this.#root = join(deps.dataDir, 'recordings');
    this.#signer = new UrlSigner(deps.store.urlSecret());
    const { width, height, fps, threads } = deps.config;
    this.#composer = new RecordingComposer(deps.store, deps.tools, { width, height, fps, threads });
    deps.conversations.onJoined((session, conversation) => this.#tellJoiner(session, conversation));
  }

  /** Conversations being recorded now (for `/metrics`). */
  get activeCount(): number {
    return this.#active.size;
  }

  /** Why `startRecording` is refused on this server, or undefined when recording works. */
  get unavailableReason(): string | undefined {
    if (!this.#deps.config.enabled) return 'recording is disabled on this server';
    return this.#deps.tools.problem;
  }

  /** Handlers of `conv.startRecording` and `conv.stopRecording`. */
  readonly handlers: HandlerTable<'conv.startRecording' | 'conv.stopRecording'> = {
    'conv.startRecording': (session, request) => ({ info: this.#start(session, request) }),
    'conv.stopRecording': (session, request) => ({ info: this.#stop(session, request) }),
  };

  /**
   * Starts serving: remembers the base of the download URLs, finishes recordings left unfinished
   * by a crash or restart (in the background) and starts the retention sweep.
   */
  start(listenUrl: string): void {
    this.#baseUrl = (this.#deps.config.publicUrl ?? listenUrl).replace(/\/+$/, '');
    const reason = this.unavailableReason;
    if (reason) this.#deps.log.warn(`recording is off: ${reason}`);
    this.#sweep();
    this.#retention = setInterval(() => this.#sweep(), HOUR_MS);
    this.#retention.unref();
    if (reason) return;
    const unfinished = this.#deps.store.list().filter((row) => row.state === 'recording' || row.state === 'composing');
    if (unfinished.length === 0) return;
    // The captures of a killed server get SIGTERM from the kernel and close their files; leave
    // them a moment before reading them.
    setTimeout(() => {
      for (const row of unfinished) {
        this.#deps.log.info({ mediaId: row.mediaId }, 'recording: finishing a recording left unfinished');
        this.#composer
          .compose(row, this.#dir(row.mediaId))
          .catch((error: unknown) => this.#deps.log.error({ err: error, mediaId: row.mediaId }, 'recording: compose failed'));
      }
    }, RECOVERY_DELAY_MS).unref();
  }

  /**
   * Shutdown: captures end and their files are closed; composing is left to the next start (the
   * recordings stay `recording` in the store). Call before the conversations close.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#retention) clearInterval(this.#retention);
    const stopping = [...this.#active.values()].map((a) => a.recorder.stop());
    this.#active.clear();
    await Promise.all(stopping);
  }

  /**
   * The file a download URL names, when its signature holds: `forbidden` for a bad or expired
   * link, `notReady` while the recording is not composed.
   */
  authorise(mediaId: string, fileName: string, exp: number, sig: string): { path: string; audioOnly: boolean } | 'forbidden' | 'notReady' {
    const row = this.#deps.store.get(mediaId);
    if (!row || row.fileName !== fileName || !this.#signer.verify({ apiKey: row.apiKey, mediaId, fileName, exp }, sig)) return 'forbidden';
    if (row.state !== 'available') return 'notReady';
    return { path: join(this.#dir(mediaId), row.fileName), audioOnly: row.options.audioOnly };
  }

  #start(session: UserSession, request: RequestOf<'conv.startRecording'>): RecordingInfo {
    const { conversation } = this.#deps.conversations.contextOf(session, request);
    const reason = this.unavailableReason;
    if (reason || this.#closed) throw new ParleyError(ErrorCode.OTHER, reason ?? 'server shutting down');
    if (this.#active.has(conversation)) throw new ParleyError(ErrorCode.OTHER, 'START_RECORD_ALREADY_ON');
    if (conversation.meshOnly) throw new ParleyError(ErrorCode.NOT_ALLOWED, 'a mesh-only conversation cannot be recorded');
    conversation.switchToSfu();
    const room = conversation.mediaRoom();
    const both = request.audioOnly && request.videoOnly; // asks for nothing: record everything
    const options: RecordingOptions = {
      audioOnly: request.audioOnly && !both,
      videoOnly: request.videoOnly && !both,
      mode: request.mode !== undefined && MODES.has(request.mode) ? request.mode : 'complete',
      labelEnabled: request.labelEnabled,
      ...(request.labelEnabled ? { labels: request.labels ?? [] } : {}),
    };
    if (options.mode === 'audioOnly') options.audioOnly = true;
    const mediaId = String(randomInt(1_000_000_000, 9_999_999_999));
    const row: RecordingRow = {
      mediaId,
      apiKey: conversation.apiKey,
      conversation: conversation.name,
      convId: this.#convId(conversation),
      fileName: `${randomBytes(6).toString('hex')}-${mediaId}-${request.customIdInFilename ?? 'composite'}.mp4`,
      options,
      state: 'recording',
      startedAt: Date.now(),
      stoppedAt: null,
      durationMs: null,
      sizeBytes: null,
      error: null,
    };
    const dir = this.#dir(mediaId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.#deps.store.create(row);
    const recorder = new CompositeRecorder(mediaId, dir, room, {
      store: this.#deps.store,
      log: this.#deps.log,
      accept: (track) => accepts(conversation, track, options),
    });
    const active: Active = { conversation, recorder, row };
    this.#active.set(conversation, active);
    // Everyone left: the conversation closes and the recording ends with it (file still made).
    room.once('closed', () => {
      if (this.#active.get(conversation) === active) this.#finish(active);
    });
    recorder.start();
    const info = this.#info(row);
    this.#broadcast(conversation, 'started', info);
    this.#deps.log.info({ mediaId, conversation: conversation.name }, 'recording started');
    return info;
  }

  #stop(session: UserSession, request: RequestOf<'conv.stopRecording'>): RecordingInfo {
    const { conversation } = this.#deps.conversations.contextOf(session, request);
    const active = this.#active.get(conversation);
    if (!active) throw new ParleyError(ErrorCode.WRONG_STATE, 'no recording running');
    const info = this.#info(active.row);
    this.#finish(active);
    return info;
  }

  /** Stops the captures, tells everyone, composes, then tells those still there. */
  #finish(active: Active): void {
    if (this.#closed) return;
    this.#active.delete(active.conversation);
    const info = this.#info(active.row);
    this.#broadcast(active.conversation, 'stopped', info);
    const { mediaId } = active.row;
    void active.recorder
      .stop()
      .then(() => this.#composer.compose(active.row, active.recorder.dir))
      .then(() => {
        this.#deps.log.info({ mediaId }, 'recording available');
        if (!active.conversation.closed) this.#broadcast(active.conversation, 'available', this.#info(active.row));
      })
      .catch((error: unknown) => this.#deps.log.error({ err: error, mediaId }, 'recording: compose failed'));
  }

  #tellJoiner(session: UserSession, conversation: Conversation): void {
    const active = this.#active.get(conversation);
    if (active) session.send({ type: 'conv.recording', conversation: conversation.name, state: 'ongoing', info: this.#info(active.row) });
  }

  #broadcast(conversation: Conversation, state: ConvRecordingEvent['state'], info: RecordingInfo): void {
    conversation.broadcast({ type: 'conv.recording', conversation: conversation.name, state, info });
  }

  /** The apiRTC RecordingInfo of `row`, with a freshly signed URL. */
  #info(row: RecordingRow): RecordingInfo {
    const exp = Math.floor(Date.now() / 1000) + this.#deps.config.urlTtlSeconds;
    const sig = this.#signer.sign({ apiKey: row.apiKey, mediaId: row.mediaId, fileName: row.fileName, exp });
    return {
      roomName: row.conversation,
      callId: 'COMPOSITE',
      recordType: 'composite',
      convId: row.convId,
      mediaId: row.mediaId,
      mediaURL: `${this.#baseUrl}${RECORDING_PATH}/${row.mediaId}/${encodeURIComponent(row.fileName)}?exp=${exp}&sig=${sig}`,
      recordedFileName: row.fileName,
      audioOnly: row.options.audioOnly,
      videoOnly: row.options.videoOnly,
      mode: row.options.mode,
      labelEnabled: row.options.labelEnabled,
      ...(row.options.labels ? { labels: row.options.labels } : {}),
    };
  }

  #convId(conversation: Conversation): string {
    let id = this.#convIds.get(conversation);
    if (id === undefined) {
      id = randomUUID();
      this.#convIds.set(conversation, id);
    }
    return id;
  }

  #dir(mediaId: string): string {
    return join(this.#root, mediaId);
  }

  /** Deletes finished recordings older than the retention. */
  #sweep(): void {
    const days = this.#deps.config.retentionDays;
    if (days <= 0) return;
    const limit = Date.now() - days * 24 * HOUR_MS;
    for (const row of this.#deps.store.list()) {
      if (row.startedAt >= limit || row.state === 'recording' || row.state === 'composing') continue;
      this.#deps.store.delete(row.mediaId);
      void rm(this.#dir(row.mediaId), { recursive: true, force: true });
      this.#deps.log.info({ mediaId: row.mediaId }, 'recording deleted (retention)');
    }
  }
}

/** Whether `track` belongs in a recording with `options` (kind, then labels of its stream). */
function accepts(conversation: Conversation, track: PublishedTrack, options: RecordingOptions): boolean {
  if (options.audioOnly && track.kind !== 'audio') return false;
  if (options.videoOnly && track.kind !== 'video') return false;
  if (!options.labelEnabled) return true;
  const publication = conversation.publicationOfTrack(track);
  const context = publication?.descriptor.context ?? {};
  const labels = context[track.kind === 'audio' ? 'audioLabels' : 'videoLabels'] ?? context.labels;
  return Array.isArray(labels) && labels.some((l) => options.labels?.includes(String(l)));
}
