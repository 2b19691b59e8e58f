/**
 * React example: a conversation page written only with apiRTC's React hooks (@apirtc/react-lib),
 * running on Parley because the app's `@apirtc/apirtc` is Parley's SDK package.
 * Query parameters: `room` (conversation name, default `react-demo`), `server` (Parley base URL,
 * default this page's origin), `apiKey` (default the demo key).
 */
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

const params = new URLSearchParams(location.search);
const container = document.getElementById('root');
if (!container) throw new Error('react-example: #root missing from index.html');
createRoot(container).render(
  <App room={params.get('room') ?? 'react-demo'} serverUrl={params.get('server') ?? location.origin} apiKey={params.get('apiKey') ?? 'myDemoApiKey'} />,
);
