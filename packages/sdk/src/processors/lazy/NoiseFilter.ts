import { RnnoiseWorkletNode, loadRnnoise } from '@sapphi-red/web-noise-suppressor';

/** How much of the unfiltered signal is mixed back in (`startNoiseReduction(intensity)`). */
export type NoiseIntensity = 'soft' | 'medium' | 'hard';

/**
 * RNNoise keeps nothing of what it classifies as noise; 'soft' and 'medium' leave part of the
 * original signal under the filtered one, which sounds less processed on borderline material.
 */
const DRY_MIX: Readonly<Record<NoiseIntensity, number>> = { soft: 0.35, medium: 0.15, hard: 0 };

/** RNNoise works on 48 kHz frames: the context runs at that rate whatever the device's. */
const SAMPLE_RATE = 48_000;

/**
 * The context's buffer, in seconds. 'interactive' (and 'balanced', the same in Chromium on Linux)
 * renders 10 ms at a time; 20 ms gets 1024-frame buffers (21.3 ms): half the audio-thread
 * wake-ups, measured ~0.6 % of a core less for the filter, for ~11 ms more delay on the processed
 * track, small beside a call's jitter buffer and network path.
 */
const LATENCY_HINT = 0.02;

/** The page's filtering context and how many filters use it. */
interface SharedContext {
  context: AudioContext;
  ready: Promise<ArrayBuffer>;
  users: number;
}

/**
 * One AudioContext per page: contexts are a scarce resource and the worklet module loads once per
 * context. It is suspended while no filter uses it: a running context renders (and wakes its
 * audio thread) even with nothing connected.
 */
let shared: SharedContext | undefined;

function audioContext(baseUrl: string): SharedContext {
  if (shared && shared.context.state !== 'closed') return shared;
  const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: LATENCY_HINT });
  const ready = Promise.all([
    context.audioWorklet.addModule(new URL('rnnoise/workletProcessor.js', baseUrl).href),
    loadRnnoise({ url: new URL('rnnoise.wasm', baseUrl).href, simdUrl: new URL('rnnoise_simd.wasm', baseUrl).href }),
  ]).then(([, wasm]) => wasm);
  shared = { context, ready, users: 0 };
  // A failed load must not poison later attempts (e.g. the files were briefly unreachable).
  ready.catch(() => {
    if (shared?.ready === ready) shared = undefined;
  });
  return shared;
}

/**
 * Denoises one audio track with RNNoise in an AudioWorklet: the graph is source → RNNoise (wet)
 * plus an optional dry path → MediaStreamDestination, whose track is `output`.
 */
export class NoiseFilter {
  readonly output: MediaStreamTrack;
  readonly #nodes: AudioNode[];
  readonly #worklet: RnnoiseWorkletNode;
  readonly #shared: SharedContext;
  #closed = false;

  private constructor(output: MediaStreamTrack, nodes: AudioNode[], worklet: RnnoiseWorkletNode, context: SharedContext) {
    this.output = output;
    this.#nodes = nodes;
    this.#worklet = worklet;
    this.#shared = context;
  }

  /** Loads the worklet and model (first use only) and starts filtering `input`. */
  static async create(input: MediaStreamTrack, baseUrl: string, intensity: NoiseIntensity): Promise<NoiseFilter> {
    const shared = audioContext(baseUrl);
    const { context } = shared;
    const wasmBinary = await shared.ready;
    const source = context.createMediaStreamSource(new MediaStream([input]));
    const worklet = new RnnoiseWorkletNode(context, { maxChannels: 1, wasmBinary });
    const destination = context.createMediaStreamDestination();
    const nodes: AudioNode[] = [source, worklet, destination];
    source.connect(worklet).connect(destination);
    const dry = DRY_MIX[intensity];
    if (dry > 0) {
      const gain = new GainNode(context, { gain: dry });
      source.connect(gain).connect(destination);
      nodes.push(gain);
    }
    const output = destination.stream.getAudioTracks()[0];
    if (!output) {
      worklet.destroy();
      for (const node of nodes) node.disconnect();
      throw new Error('the audio graph produced no track');
    }
    shared.users++;
    // Without a user gesture Chromium creates the context suspended; resume() then waits for one.
    // Not awaited: the stream is usable at once and starts flowing when the page is allowed sound.
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    return new NoiseFilter(output, nodes, worklet, shared);
  }

  /** Tears the graph down and frees the model's memory in the worklet; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.output.stop();
    this.#worklet.destroy();
    for (const node of this.#nodes) node.disconnect();
    const shared = this.#shared;
    shared.users--;
    // Idle until the next filter: resumed by create(). Suspending a closed context throws.
    if (shared.users === 0 && shared.context.state === 'running') void shared.context.suspend().catch(() => undefined);
  }
}
