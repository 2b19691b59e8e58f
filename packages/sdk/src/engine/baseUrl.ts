/**
 * Server base URL rule (docs/sdk-reference.md#registration, `cloudUrl`, Parley rule): apps hard-code the vendor's cloud URL or
 * omit it, so that swapping the script URL is enough. The SDK therefore uses `cloudUrl` only when
 * it names some other host; otherwise it talks to the origin its own script was loaded from, and
 * failing that to the page's origin.
 */

const VENDOR_HOST = /(^|\.)(apizee|apirtc)\.com$/i;

/** True for `*.apizee.com` / `*.apirtc.com` (and the bare domains). */
export function isVendorHost(hostname: string): boolean {
  return VENDOR_HOST.test(hostname);
}

function httpOrigin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves the Parley server base URL (no trailing slash).
 * @param cloudUrl `RegisterInformation.cloudUrl` as given by the app.
 * @param scriptUrl URL the SDK was loaded from (`document.currentScript.src` / `import.meta.url`).
 * @param pageOrigin `location.origin` of the page, when there is one.
 * @returns undefined when no usable URL is known (e.g. outside a browser without `cloudUrl`).
 */
export function resolveBaseUrl(cloudUrl: string | undefined, scriptUrl: string | undefined, pageOrigin: string | undefined): string | undefined {
  if (typeof cloudUrl === 'string' && cloudUrl.trim() !== '') {
    const trimmed = cloudUrl.trim();
    // Apps sometimes write "host:port" without a scheme; assume the page's scheme.
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `${pageOrigin?.startsWith('http:') ? 'http' : 'https'}://${trimmed}`;
    try {
      const u = new URL(withScheme);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && !isVendorHost(u.hostname)) {
        return (u.origin + u.pathname).replace(/\/+$/, '');
      }
    } catch {
      // Not a URL: fall through to the default server.
    }
  }
  return httpOrigin(scriptUrl) ?? httpOrigin(pageOrigin);
}

/** The WebSocket URL for `wsPath` on the server at `baseUrl` (http→ws, https→wss). */
export function toWebSocketUrl(baseUrl: string, wsPath: string): string {
  const path = wsPath.startsWith('/') ? wsPath : `/${wsPath}`;
  return baseUrl.replace(/^http/i, 'ws') + path;
}
