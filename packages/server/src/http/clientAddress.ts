import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';
import type { TrustProxySetting } from '../config/Config.js';

/** Headers a reverse proxy adds; a request carrying one did not come from a local client. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/**
 * Whether the hop at `address` is a proxy whose `X-Forwarded-For` entry before it is believed;
 * `hop` 0 is the socket's peer, 1 the last forwarded entry, and so on.
 */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * The trust rule of an `http.trustProxy` setting: nobody (`false`), the socket's peer whatever
 * its address (`true`: one hop), or the listed addresses and CIDR ranges at every hop (matching
 * from proxy-addr, the library Fastify and Express use for the same setting).
 * @throws TypeError on an invalid address or range (the configuration schema checks first)
 */
export function compileTrust(setting: TrustProxySetting): ProxyTrust {
  if (setting === false) return () => false;
  if (setting === true) return (_address, hop) => hop === 0;
  return proxyaddr.compile(setting);
}

/**
 * The address of the client behind `req`: starting at the socket's peer, each trusted proxy
 * hands over to the `X-Forwarded-For` entry it appended (read from the right: entries further
 * left are whatever the client sent, so spoofable). A malformed entry stops the walk at the
 * proxy that wrote it.
 */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust): string | undefined {
  const peer = req.socket.remoteAddress;
  if (peer === undefined) return undefined;
  const header = req.headers['x-forwarded-for'];
  if (header === undefined) return peer;
  const entries = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((entry) => entry.trim())
    .reverse();
  let address = peer;
  for (let hop = 0; hop < entries.length; hop++) {
    const next = entries[hop] as string;
    if (!trust(address, hop) || isIP(next) === 0) break;
    address = next;
  }
  return address;
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
 * proxy on the same host connects from loopback on behalf of remote clients). A forwarded
 * request counts as local only when the proxy is trusted and names a loopback client.
 */
export function isLocalClient(req: IncomingMessage, trust: ProxyTrust): boolean {
  const peer = req.socket.remoteAddress;
  if (peer === undefined || !isLoopback(peer)) return false;
  const forwarded = FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined);
  if (!forwarded) return true;
  return trust(peer, 0) && isLoopback(clientAddress(req, trust));
}
