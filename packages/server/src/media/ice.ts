import { isIP } from 'node:net';

/**
 * ICE candidate lines (RFC 8839 §5.1):
 * `candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> …`
 */

/**
 * Normalises a candidate from a browser for `addRemoteCandidate`: strips an `a=` prefix and
 * returns undefined for an end-of-candidates marker or an unresolved address. Browsers hide host
 * addresses behind mDNS names (`….local`); the server cannot resolve them (and a lookup must not
 * block), and does not need to: the browser's checks reach the server, which learns the address
 * as a peer-reflexive candidate (RFC 8445 §7.3.1.3).
 */
export function normalizeRemoteCandidate(candidate: string): string | undefined {
  const c = candidate.startsWith('a=') ? candidate.slice(2) : candidate;
  if (!c.startsWith('candidate:')) return undefined;
  const fields = c.split(' ');
  const address = fields[4];
  if (fields.length < 8 || address === undefined || isIP(address) === 0) return undefined;
  return c;
}

/**
 * Prepares a libdatachannel local candidate for the browser: strips the `a=` prefix and, when
 * `announcedAddress` is set, replaces the address of host candidates with it (the server is
 * behind 1:1 NAT). Returns the rewritten candidate line.
 */
export function rewriteLocalCandidate(candidate: string, announcedAddress: string | undefined): string {
  const c = candidate.startsWith('a=') ? candidate.slice(2) : candidate;
  if (announcedAddress === undefined) return c;
  const fields = c.split(' ');
  if (fields.length < 8 || fields[7] !== 'host') return c;
  fields[4] = announcedAddress;
  return fields.join(' ');
}

/**
 * Applies {@link rewriteLocalCandidate} to every `a=candidate` line of a local description and
 * removes the duplicates it creates (the IPv4 and IPv6 host candidates of one socket share a port).
 */
export function rewriteSdpCandidates(sdp: string, announcedAddress: string | undefined): string {
  if (announcedAddress === undefined) return sdp;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of sdp.split('\r\n')) {
    if (line.startsWith('a=candidate:')) {
      const rewritten = rewriteLocalCandidate(line, announcedAddress);
      const key = candidateEndpoint(rewritten);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push('a=' + rewritten);
    } else {
      out.push(line);
    }
  }
  return out.join('\r\n');
}

/** `transport address port type` of a candidate line, the identity used to drop duplicates. */
export function candidateEndpoint(candidate: string): string {
  const f = candidate.split(' ');
  return `${f[2]} ${f[4]} ${f[5]} ${f[7]}`;
}
