/** `stream.takeSnapshot()` options (docs/sdk-reference.md#option-types, SnapshotOptions). */
export interface SnapshotOptions {
  /** `'blob'` for a Blob; anything else gives a data URL string. */
  output?: string;
  /** Default `'image/png'`. */
  outputMimeType?: string;
  /** JPEG/WebP quality in (0, 1]. */
  outputQualityArgument?: number;
  /** Output size; default the video's own size. */
  width?: number;
  height?: number;
  /** Remote streams: capture at the publisher. */
  applyRemotely?: boolean;
  /** Capture at camera resolution (implies applyRemotely on remote streams). */
  fullResolution?: boolean;
}

const FRAME_TIMEOUT_MS = 5_000;

function waitForFrame(video: HTMLVideoElement): Promise<void> {
  if (video.readyState >= 2 && video.videoWidth > 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('takeSnapshot() - no video frame available')), FRAME_TIMEOUT_MS);
    function done(err?: Error): void {
      clearTimeout(timer);
      video.removeEventListener('loadeddata', onData);
      if (err) reject(err);
      else resolve();
    }
    function onData(): void {
      done();
    }
    video.addEventListener('loadeddata', onData);
  });
}

/**
 * Grabs the current frame of `stream`'s video through an off-DOM `<video>` and a canvas.
 * @throws Error when there is no video or no frame arrives within 5 s.
 */
export async function captureFrame(stream: MediaStream, options: SnapshotOptions = {}): Promise<string | Blob> {
  if (stream.getVideoTracks().length === 0) throw new Error('takeSnapshot() - stream has no video');
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  try {
    await video.play().catch(() => undefined);
    await waitForFrame(video);
    const width = options.width ?? video.videoWidth;
    const height = options.height ?? video.videoHeight;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('takeSnapshot() - canvas 2D context unavailable');
    ctx.drawImage(video, 0, 0, width, height);
    const type = options.outputMimeType ?? 'image/png';
    if (options.output === 'blob') {
      return await new Promise<Blob>((resolve, reject) =>
        canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('takeSnapshot() - encoding failed'))), type, options.outputQualityArgument),
      );
    }
    return canvas.toDataURL(type, options.outputQualityArgument);
  } finally {
    video.pause();
    video.srcObject = null;
  }
}
