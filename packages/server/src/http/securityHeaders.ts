import type { FastifyReply } from 'fastify';

/**
 * Content-Security-Policy of HTML pages (the demo app). The app loads its script, styles and
 * the SDK from this origin only, shows video through `srcObject` (no URL), and talks to the
 * server over same-origin fetch and WebSocket (`'self'` covers `ws:`/`wss:` on this host).
 * `data:`/`blob:` images and `blob:`/`mediastream:` media are for snapshots and recordings an
 * app may show. `'wasm-unsafe-eval'` lets the page compile WebAssembly (the SDK's noise
 * reduction and background segmentation models, served from this origin's /sdk/processors/): it
 * allows WebAssembly compilation only, not `eval` or `new Function`, and the wasm itself can only
 * come from `'self'` (connect-src). Worklets and the model's scripts run under this policy too.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** CSP of every other response (scripts, JSON, text): nothing to load, never framed. */
export const RESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Headers every response carries, whatever its route. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  // Room names are in the app's URLs: they must not leak to the sites a page links to.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/**
 * Adds the security headers to `reply`. A CSP the route set (the demo app's pages, see
 * StaticDirectory) is kept; otherwise HTML gets the app policy and the rest the resource one.
 */
export function applySecurityHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) reply.header(name, value);
  if (reply.hasHeader('Content-Security-Policy')) return;
  const type = String(reply.getHeader('Content-Type') ?? '');
  reply.header('Content-Security-Policy', type.startsWith('text/html') ? APP_CSP : RESOURCE_CSP);
}
