/**
 * The background workers' script (`/sdk/processors/parley-processors-worker.js`, a classic
 * worker: MediaPipe's loader uses importScripts). The first message gives the role: compositor
 * (every frame) or segmenter (the model). See WorkerPipeline for the page's side.
 */
import { CompositorThread } from './CompositorThread.js';
import { SegmenterThread } from './SegmenterThread.js';
import type { FromWorker, ToWorker } from './workerMessages.js';

const post = (m: FromWorker): void => postMessage(m);
let compositor: CompositorThread | undefined;
let segmenter: SegmenterThread | undefined;

function failed(e: unknown): void {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

addEventListener('message', (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'segmenter':
      SegmenterThread.start(m.baseUrl, m.port).then((s) => {
        segmenter = s;
        post({ type: 'ready' });
      }, failed);
      return;
    case 'compositor':
      try {
        compositor = new CompositorThread(m, post);
        post({ type: 'ready' });
      } catch (err) {
        failed(err);
      }
      return;
    case 'background':
      if (compositor) compositor.background = m.background;
      return;
    case 'hidden':
      if (compositor) compositor.hidden = m.hidden;
      return;
    case 'close':
      void Promise.allSettled([compositor?.close(), segmenter?.close()]).then(() => post({ type: 'closed' }));
      return;
  }
});
