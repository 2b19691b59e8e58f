import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Headers a reverse proxy adds; a request carrying one did not come from a local client. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/**
 * The address of the client behind `req`. With `trustProxy`, the last `X-Forwarded-For` entry
 * (the one the proxy appended: entries before it are whatever the client sent, so spoofable);
 * otherwise, or without the header, the socket's peer address.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header[header.length - 1] : header;
    const last = value?.split(',').pop()?.trim();
    if (last !== undefined && isIP(last) !== 0) return last;
  }
  return req.socket.remoteAddress;
}

/** Whether `address` is a loopback address (IPv4 127/8, `::1`, or IPv4-mapped 127/8). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Whether `req` comes from a client on this host: a loopback peer that no proxy forwarded (a
 * proxy on the same host connects from loopback on behalf of remote clients). With
 * `trustProxy`, the forwarded client address decides.
 */
export function isLocalClient(req: IncomingMessage, trustProxy: boolean): boolean {
  if (!isLoopback(req.socket.remoteAddress)) return false;
  const forwarded = FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined);
  if (!forwarded) return true;
  return trustProxy && isLoopback(clientAddress(req, true));
}
