/**
 * The compositing worker's script (`/sdk/processors/parley-processors-worker.js`, run as a classic
 * worker so that a page on another origin can start it through a blob that imports it). See
 * WorkerPipeline for the page's side.
 */
import { CompositorThread } from './CompositorThread.js';
import type { FromWorker, ToWorker } from './workerMessages.js';

const post = (m: FromWorker): void => postMessage(m);
let compositor: CompositorThread | undefined;

function failed(e: unknown): void {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

addEventListener('message', (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  switch (m.type) {
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
      void Promise.allSettled([compositor?.close()]).then(() => post({ type: 'closed' }));
      return;
  }
});
