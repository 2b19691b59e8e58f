import { gridSize, stageLayout, type TileSpec } from '../call-model.js';

/** Space between tiles, as in styles.css (.stage gap). */
const GAP = 10;
import { byId, h } from '../dom.js';
import { paintAvatar } from './avatarElement.js';

interface TileElement {
  root: HTMLDivElement;
  video: HTMLVideoElement;
  avatar: HTMLDivElement;
  name: HTMLSpanElement;
  /** Bit rate, loss, round trip and MOS of the tile's stream (callStatsUpdate). */
  stats: HTMLDivElement;
  /** The Stream whose media the <video> shows (attached once per Stream object). */
  attached: apiRTC.Stream | null;
}

/**
 * The call stage: one tile per {@link TileSpec}, reconciled by key so a playing <video> is never
 * recreated. Grid layout normally; spotlight (first tile large) when a screen share exists.
 */
export class Stage {
  readonly #root = byId('stage');
  readonly #tiles = new Map<string, TileElement>();
  #last: readonly TileSpec[] = [];
  readonly #observer: ResizeObserver;

  constructor() {
    this.#observer = new ResizeObserver(() => this.#layout());
    this.#observer.observe(this.#root);
  }

  /**
   * Shows `specs`; `streamFor` gives the Stream to show in a tile (null: no media yet, the
   * avatar shows).
   */
  render(specs: readonly TileSpec[], streamFor: (spec: TileSpec) => apiRTC.Stream | null): void {
    this.#last = specs;
    const keep = new Set(specs.map((s) => s.key));
    for (const [key, tile] of this.#tiles) {
      if (keep.has(key)) continue;
      tile.video.srcObject = null;
      tile.root.remove();
      this.#tiles.delete(key);
    }
    specs.forEach((spec, index) => {
      let tile = this.#tiles.get(spec.key);
      if (!tile) {
        tile = this.#create(spec);
        this.#tiles.set(spec.key, tile);
      }
      this.#update(tile, spec, streamFor(spec));
      // Keep DOM order = spec order (moving a node in the same task does not stop its video).
      if (this.#root.children[index] !== tile.root) this.#root.insertBefore(tile.root, this.#root.children[index] ?? null);
      if (tile.attached && tile.video.paused) void tile.video.play().catch(() => undefined);
    });
    this.#layout();
  }

  clear(): void {
    this.render([], () => null);
  }

  /** Highlights (or not) the tile `key` as speaking (audioAmplitude). */
  setSpeaking(key: string, speaking: boolean): void {
    const tile = this.#tiles.get(key);
    if (tile) tile.root.dataset.speaking = String(speaking);
  }

  /** Shows a stats line on the tile `key` (empty: none). */
  setStats(key: string, text: string): void {
    const tile = this.#tiles.get(key);
    if (!tile) return;
    tile.stats.textContent = text;
    tile.stats.hidden = text === '';
  }

  #create(spec: TileSpec): TileElement {
    const video = h('video', { autoplay: true, playsinline: true });
    // The local user's own sound is never played back.
    video.muted = spec.local;
    const avatar = h('div', { class: 'avatar avatar-tile' });
    const name = h('span', { class: 'tile-name' });
    const stats = h('div', { class: 'tile-stats', 'aria-live': 'off' });
    stats.hidden = true;
    const root = h(
      'div',
      { class: 'tile', 'data-key': spec.key, role: 'group' },
      video,
      h('div', { class: 'tile-avatar' }, avatar),
      stats,
      h('div', { class: 'tile-label' }, h('span', { class: 'mic-off', title: 'Microphone off', 'aria-hidden': 'true' }, svgUse('i-mic-off')), name),
    );
    return { root, video, avatar, name, stats, attached: null };
  }

  #update(tile: TileElement, spec: TileSpec, stream: apiRTC.Stream | null): void {
    const { root } = tile;
    root.dataset.kind = spec.kind;
    root.dataset.local = String(spec.local);
    root.dataset.contactId = spec.contactId;
    if (spec.streamId) root.dataset.streamId = spec.streamId;
    root.dataset.audio = spec.audioMuted ? 'muted' : 'on';
    root.dataset.video = spec.videoMuted && spec.kind !== 'screen' ? 'off' : 'on';
    root.dataset.media = stream ? 'attached' : 'none';
    const label = spec.kind === 'screen' ? (spec.local ? 'Your screen' : `${spec.name}'s screen`) : spec.local ? `${spec.name} (you)` : spec.name;
    root.dataset.name = spec.name;
    root.setAttribute(
      'aria-label',
      `${label}${spec.kind !== 'screen' && spec.audioMuted ? ', microphone off' : ''}${spec.kind === 'camera' && spec.videoMuted ? ', camera off' : ''}`,
    );
    tile.name.textContent = label;
    if (tile.avatar.dataset.for !== spec.contactId + spec.name) {
      paintAvatar(tile.avatar, spec.contactId, spec.name);
      tile.avatar.dataset.for = spec.contactId + spec.name;
    }
    if (stream !== tile.attached) {
      tile.attached = stream;
      if (stream) stream.attachToElement(tile.video);
      else tile.video.srcObject = null;
    }
  }

  #layout(): void {
    const width = this.#root.clientWidth;
    const height = this.#root.clientHeight;
    const layout = stageLayout(this.#last, width, height);
    this.#root.dataset.layout = layout.mode;
    this.#root.dataset.count = String(this.#last.length);
    const style = this.#root.style;
    style.setProperty('--cols', String(layout.columns));
    style.setProperty('--rows', String(layout.rows));
    if (layout.mode === 'grid') {
      const size = gridSize(this.#last.length, width, height, GAP);
      style.setProperty('--tile-w', `${Math.max(80, size.tileWidth)}px`);
      style.setProperty('--tile-h', `${Math.max(60, size.tileHeight)}px`);
    }
  }
}

function svgUse(id: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
  use.setAttribute('href', `#${id}`);
  svg.append(use);
  return svg;
}

export { svgUse };
