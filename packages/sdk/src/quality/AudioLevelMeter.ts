/** FFT size of apiRTC's analyser (1024 frequency bins). */
const FFT_SIZE = 2048;
/** How many of the loudest bins make the level. */
const TOP_BINS = 50;

let sharedContext: AudioContext | null = null;

/**
 * One AudioContext for the page: browsers cap how many a page may open, and every meter only
 * needs an analyser node in it. Resumed on creation because a context made before any user
 * gesture starts suspended (and a suspended context analyses nothing).
 */
function audioContext(): AudioContext {
  if (!sharedContext || sharedContext.state === 'closed') sharedContext = new AudioContext();
  if (sharedContext.state === 'suspended') sharedContext.resume().catch(() => undefined);
  return sharedContext;
}

/**
 * The level of a MediaStream's audio as apiRTC measures it: an analyser (FFT 2048, byte scale
 * 0..255 of the browser's default −100..−30 dB range) whose 50 loudest frequency bins are
 * averaged. Nothing is played: the source feeds the analyser only.
 */
export class AudioLevelMeter {
  readonly #source: MediaStreamAudioSourceNode;
  readonly #analyser: AnalyserNode;
  readonly #bins: Uint8Array<ArrayBuffer>;
  #closed = false;

  constructor(stream: MediaStream) {
    const ctx = audioContext();
    // Only the audio tracks: a source over a stream without audio throws.
    this.#source = ctx.createMediaStreamSource(new MediaStream(stream.getAudioTracks()));
    this.#analyser = ctx.createAnalyser();
    this.#analyser.fftSize = FFT_SIZE;
    this.#source.connect(this.#analyser);
    this.#bins = new Uint8Array(new ArrayBuffer(this.#analyser.frequencyBinCount));
  }

  /** Current level, 0..255. */
  level(): number {
    if (this.#closed) return 0;
    this.#analyser.getByteFrequencyData(this.#bins);
    return meanOfLoudest(this.#bins, TOP_BINS);
  }

  /** Disconnects the nodes (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#source.disconnect();
    this.#analyser.disconnect();
  }
}

/** Mean of the `n` largest values of `bins` (byte values: counted, not sorted). */
export function meanOfLoudest(bins: Uint8Array, n: number): number {
  const counts = new Uint32Array(256);
  for (const b of bins) counts[b] = (counts[b] ?? 0) + 1;
  let left = Math.min(n, bins.length);
  if (left === 0) return 0;
  const taken = left;
  let sum = 0;
  for (let v = 255; v >= 0 && left > 0; v--) {
    const k = Math.min(counts[v] ?? 0, left);
    sum += k * v;
    left -= k;
  }
  return sum / taken;
}
