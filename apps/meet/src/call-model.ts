/**
 * What the call screen shows, as pure state: who is in the room, which streams they publish,
 * and the tiles and layout derived from that. The SDK wiring (call.ts) feeds it from
 * Conversation events; the views render what it derives.
 */

/** A remote participant (a Contact of the conversation). */
export interface Member {
  id: string;
  name: string;
}

/** A published remote stream, from its StreamInfo (and later flow-status updates). */
export interface StreamEntry {
  streamId: string;
  contactId: string;
  screen: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  /** The publisher disabled its audio (StreamInfo `isAudioMuted`). */
  audioMuted: boolean;
  /** The publisher disabled its video (StreamInfo `isVideoMuted`). */
  videoMuted: boolean;
}

/** What a StreamInfo says, reduced to plain data. */
export interface ListedStream extends StreamEntry {
  contactName: string;
}

/** The local user's side of the picture. */
export interface LocalState {
  id: string;
  name: string;
  /** A camera/mic stream exists (published or about to be). */
  hasStream: boolean;
  audioOn: boolean;
  videoOn: boolean;
  /** The user is sharing their screen. */
  sharing: boolean;
}

export type TileKind = 'camera' | 'screen' | 'avatar';

/** One tile of the stage. `key` is stable across renders (DOM reconciliation). */
export interface TileSpec {
  key: string;
  kind: TileKind;
  local: boolean;
  contactId: string;
  name: string;
  /** Remote stream to show (null for local tiles and avatar-only tiles). */
  streamId: string | null;
  audioMuted: boolean;
  videoMuted: boolean;
}

/** Mute state of a person, for the participant list. */
export interface MemberState {
  audioMuted: boolean;
  videoMuted: boolean;
  sharing: boolean;
}

export const LOCAL_KEY = 'local';
export const LOCAL_SCREEN_KEY = 'local-screen';

export class CallModel {
  readonly #members = new Map<string, Member>();
  /** Members whose arrival `contactJoined` already announced. */
  readonly #announced = new Set<string>();
  readonly #streams = new Map<string, StreamEntry>();

  /** A contact joined; false when its arrival was already announced (no "joined" toast then). */
  memberJoined(id: string, name: string): boolean {
    const known = this.#members.get(id);
    if (known) {
      known.name = name || known.name;
      // A stream can be listed before its publisher's join is announced: the first
      // announcement still counts as the arrival (it drives the "joined" notice).
      if (this.#announced.has(id)) return false;
      this.#announced.add(id);
      return true;
    }
    this.#members.set(id, { id, name: name || id });
    this.#announced.add(id);
    return true;
  }

  /** A contact left: it and its streams are forgotten. Returns it when it was known. */
  memberLeft(id: string): Member | undefined {
    const member = this.#members.get(id);
    this.#members.delete(id);
    this.#announced.delete(id);
    for (const [streamId, entry] of this.#streams) if (entry.contactId === id) this.#streams.delete(streamId);
    return member;
  }

  /** `streamListChanged` added/updated for a remote stream. Its publisher counts as present. */
  streamListed(listed: ListedStream): void {
    const { contactName, ...entry } = listed;
    const known = this.#members.get(entry.contactId);
    if (known) known.name = contactName || known.name;
    else this.#members.set(entry.contactId, { id: entry.contactId, name: contactName || entry.contactId });
    this.#streams.set(entry.streamId, entry);
  }

  /** `streamListChanged` removed. Returns whether it was known. */
  streamUnlisted(streamId: string): boolean {
    return this.#streams.delete(streamId);
  }

  /** Remote flow status (`remoteAudioFlowStatusChanged` …): the publisher enabled/disabled a track. */
  streamFlow(streamId: string, kind: 'audio' | 'video', enabled: boolean): void {
    const entry = this.#streams.get(streamId);
    if (!entry) return;
    if (kind === 'audio') entry.audioMuted = !enabled;
    else entry.videoMuted = !enabled;
  }

  /** `remoteStreamIdUpdated`: the publisher replaced its stream; same tile, new id. */
  streamRenamed(oldId: string, newId: string): void {
    const entry = this.#streams.get(oldId);
    if (!entry || oldId === newId) return;
    this.#streams.delete(oldId);
    entry.streamId = newId;
    this.#streams.set(newId, entry);
  }

  stream(streamId: string): StreamEntry | undefined {
    return this.#streams.get(streamId);
  }

  member(id: string): Member | undefined {
    return this.#members.get(id);
  }

  /** Remote members in arrival order. */
  members(): Member[] {
    return [...this.#members.values()];
  }

  /** Mute state of a member from their camera stream (no camera stream: both muted). */
  memberState(id: string): MemberState {
    const streams = [...this.#streams.values()].filter((s) => s.contactId === id);
    const camera = streams.find((s) => !s.screen);
    return {
      audioMuted: !camera || !camera.hasAudio || camera.audioMuted,
      videoMuted: !camera || !camera.hasVideo || camera.videoMuted,
      sharing: streams.some((s) => s.screen),
    };
  }

  /**
   * The tiles: screen shares first (they get the spotlight), then the local user, then each
   * remote camera stream in arrival order; a member who publishes no camera gets an avatar tile.
   */
  tiles(local: LocalState): TileSpec[] {
    const screens: TileSpec[] = [];
    const people: TileSpec[] = [];
    if (local.sharing) {
      screens.push({
        key: LOCAL_SCREEN_KEY,
        kind: 'screen',
        local: true,
        contactId: local.id,
        name: local.name,
        streamId: null,
        audioMuted: true,
        videoMuted: false,
      });
    }
    people.push({
      key: LOCAL_KEY,
      kind: local.hasStream ? 'camera' : 'avatar',
      local: true,
      contactId: local.id,
      name: local.name,
      streamId: null,
      audioMuted: !local.hasStream || !local.audioOn,
      videoMuted: !local.hasStream || !local.videoOn,
    });
    const withCamera = new Set<string>();
    for (const entry of this.#streams.values()) {
      const name = this.#members.get(entry.contactId)?.name ?? entry.contactId;
      const tile: TileSpec = {
        key: `stream-${entry.streamId}`,
        kind: entry.screen ? 'screen' : 'camera',
        local: false,
        contactId: entry.contactId,
        name,
        streamId: entry.streamId,
        audioMuted: !entry.hasAudio || entry.audioMuted,
        videoMuted: !entry.hasVideo || entry.videoMuted,
      };
      if (entry.screen) screens.push(tile);
      else {
        withCamera.add(entry.contactId);
        people.push(tile);
      }
    }
    for (const member of this.#members.values()) {
      if (withCamera.has(member.id)) continue;
      people.push({
        key: `member-${member.id}`,
        kind: 'avatar',
        local: false,
        contactId: member.id,
        name: member.name,
        streamId: null,
        audioMuted: true,
        videoMuted: true,
      });
    }
    return [...screens, ...people];
  }
}

/** How the stage arranges its tiles. */
export interface StageLayout {
  /** `spotlight`: the first tile (a screen share) large, the others in a strip. */
  mode: 'grid' | 'spotlight';
  /** Columns of the grid (grid mode) or of the strip's own grid (spotlight). */
  columns: number;
  rows: number;
}

/** Widest shape a grid tile may take (video is cropped to fill it). */
export const MAX_TILE_ASPECT = 16 / 9;
/** Narrowest shape: webcam 4:3 on a landscape stage, portrait 3:4 on a phone's portrait stage. */
export function minTileAspect(width: number, height: number): number {
  return width >= height ? 4 / 3 : 3 / 4;
}

/** Columns, rows and tile size of a grid. */
export interface GridSize {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
}

/**
 * The grid that gives `count` tiles the largest area in a `width`×`height` box with `gap`
 * between tiles, each tile filling its cell but kept between {@link minTileAspect} and 16:9.
 */
export function gridSize(count: number, width: number, height: number, gap = 0): GridSize {
  let best: GridSize = { columns: 1, rows: Math.max(1, count), tileWidth: 0, tileHeight: 0 };
  if (count < 1 || width <= 0 || height <= 0) return best;
  let bestArea = -1;
  const minAspect = minTileAspect(width, height);
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    let tileWidth = (width - gap * (columns - 1)) / columns;
    let tileHeight = (height - gap * (rows - 1)) / rows;
    if (tileWidth <= 0 || tileHeight <= 0) continue;
    if (tileWidth / tileHeight > MAX_TILE_ASPECT) tileWidth = tileHeight * MAX_TILE_ASPECT;
    if (tileWidth / tileHeight < minAspect) tileHeight = tileWidth / minAspect;
    const area = tileWidth * tileHeight;
    if (area > bestArea * 1.001) {
      bestArea = area;
      best = { columns, rows, tileWidth: Math.floor(tileWidth), tileHeight: Math.floor(tileHeight) };
    }
  }
  return best;
}

/** Number of columns of {@link gridSize}. */
export function gridColumns(count: number, width: number, height: number): number {
  return gridSize(count, width, height).columns;
}

/** Layout of the stage for these tiles in a `width`×`height` area. */
export function stageLayout(tiles: readonly TileSpec[], width: number, height: number): StageLayout {
  const spotlight = tiles.length > 1 && tiles[0]?.kind === 'screen';
  const count = spotlight ? tiles.length - 1 : tiles.length;
  if (spotlight) {
    // The strip sits beside the spotlight on wide screens, under it on narrow ones.
    return { mode: 'spotlight', columns: width >= height ? 1 : Math.min(count, 4), rows: width >= height ? count : 1 };
  }
  const { columns, rows } = gridSize(count, width, height);
  return { mode: 'grid', columns, rows };
}

/** "Ada", "Ada and Grace", "Ada, Grace and 2 others". */
export function namesSentence(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]}`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} others`;
}
