/**
 * Classic-script entry (`dist/parley.js`, served at `/sdk/parley.js`). Defines `window.apiRTC` and
 * its aliases `apiRTC2`, `apiCC`, `CC` unless an apiRTC is already loaded (then it only logs), and
 * always sets `window.Parley` to the same namespace (Parley addition).
 */
import { apiRTC } from './namespace.js';
import { log } from './util/Logger.js';
import { setScriptUrl } from './util/scriptUrl.js';

// Only set while this script first runs: capture it now for the default server URL.
if (typeof document !== 'undefined') {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) setScriptUrl(current.src);
}

if (typeof window !== 'undefined') {
  const w = window as unknown as Record<string, unknown>;
  if (w['apiRTC'] === undefined) {
    w['apiRTC'] = w['apiRTC2'] = w['apiCC'] = w['CC'] = apiRTC;
  } else {
    log.info('an apiRTC version is already loaded; window.apiRTC left unchanged (Parley is window.Parley)');
  }
  w['Parley'] = apiRTC;
}
