/**
 * The URL of the script or module that loaded the SDK. Captured once by the entry point
 * (`document.currentScript.src` in the classic script, `import.meta.url` in the ESM build) because
 * `document.currentScript` is only set while the script first runs.
 */
let scriptUrl: string | undefined;

/** Records the SDK's own URL; called by the entry point at load. */
export function setScriptUrl(url: string | undefined | null): void {
  if (url) scriptUrl = url;
}

/** The SDK's own URL, if the entry point could capture it. */
export function getScriptUrl(): string | undefined {
  return scriptUrl;
}
