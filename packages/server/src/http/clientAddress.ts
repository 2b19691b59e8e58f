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

/**
 * The key a client address is counted under for per-address limits: an IPv4 address as is
 * (IPv4-mapped IPv6 included), an IPv6 address by its /64 prefix, since a single host usually
 * holds a whole /64 and could otherwise open its connections from as many addresses.
 */
export function addressKey(address: string): string {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4;
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.split('::', 2) as [string, string?];
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return (
    groups
      .slice(0, 4)
      .map((g) => parseInt(g, 16).toString(16))
      .join(':') + '::/64'
  );
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
