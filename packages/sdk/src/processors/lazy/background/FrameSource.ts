/** A decoded video frame to draw (VideoFrame or the playing video element) and its size. */
export interface SourceFrame {
  image: CanvasImageSource;
  width: number;
  height: number;
}

type ProcessorCtor = new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> };

/**
 * Delivers each frame of a video track, at the track's own rate. Uses MediaStreamTrackProcessor
 * where the browser has it on the window (Chromium): every frame arrives once, also while the
 * page is hidden. Elsewhere a muted video element and requestVideoFrameCallback (or animation
 * frames) give the frames the element paints.
 */
export class FrameSource {
  #stopped = false;
  readonly #stopHooks: (() => void)[] = [];

  constructor(track: MediaStreamTrack, onFrame: (frame: SourceFrame) => void) {
    const Processor = (globalThis as { MediaStreamTrackProcessor?: ProcessorCtor }).MediaStreamTrackProcessor;
    if (Processor) this.#pull(new Processor({ track }).readable, onFrame);
    else this.#play(track, onFrame);
  }

  /** Stops delivering frames; idempotent. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const hook of this.#stopHooks.splice(0)) hook();
  }

  #pull(readable: ReadableStream<VideoFrame>, onFrame: (frame: SourceFrame) => void): void {
    const reader = readable.getReader();
    this.#stopHooks.push(() => void reader.cancel().catch(() => undefined));
    const loop = async (): Promise<void> => {
      while (!this.#stopped) {
        const { value, done } = await reader.read();
        if (done) return;
        try {
          if (!this.#stopped) onFrame({ image: value, width: value.displayWidth, height: value.displayHeight });
        } finally {
          value.close();
        }
      }
    };
    loop().catch(() => this.stop());
  }

  #play(track: MediaStreamTrack, onFrame: (frame: SourceFrame) => void): void {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([track]);
    void video.play().catch(() => undefined);
    this.#stopHooks.push(() => {
      video.pause();
      video.srcObject = null;
    });
    const deliver = (): void => {
      if (this.#stopped) return;
      if (video.videoWidth > 0) onFrame({ image: video, width: video.videoWidth, height: video.videoHeight });
      schedule();
    };
    const schedule = (): void => {
      if (typeof video.requestVideoFrameCallback === 'function') video.requestVideoFrameCallback(deliver);
      else requestAnimationFrame(deliver);
    };
    schedule();
  }
}
