import { getScriptUrl } from '../util/scriptUrl.js';
import type * as ProcessorsModule from './lazy/entry.js';

export type Processors = typeof ProcessorsModule;

/** Folder of the processors module and its worklet, wasm and model files, on the server's `/sdk/`. */
export function processorsBaseUrl(): string {
  // The classic script is also served as /apiRTC/apiRTC-latest.min.js: resolve from the origin
  // root rather than the script's folder, so both names find the same files.
  return new URL('/sdk/processors/', getScriptUrl() ?? location.href).href;
}

let loading: Promise<Processors> | undefined;

/**
 * Imports the processors module from the origin the SDK came from, once. A dynamic `import()` of
 * a URL works from the classic script too, and keeps esbuild from bundling the module into the
 * core SDK. A failed load is forgotten so a later call tries again.
 */
export function loadProcessors(): Promise<Processors> {
  loading ??= (import(/* @vite-ignore */ `${processorsBaseUrl()}parley-processors.mjs`) as Promise<Processors>).catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}
