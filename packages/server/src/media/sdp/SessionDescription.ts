/**
 * A line-preserving SDP model (RFC 8866): session-level lines, then one block per m-section.
 * Only what the SFU edits is interpreted; every other line is kept verbatim and in order, so the
 * description handed to libdatachannel differs from the browser's only where we mean it to.
 */

/** Why a description was refused; the transports turn it into a ParleyError (code 9). */
export class SdpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SdpError';
  }
}

/** Media direction attribute (RFC 8866 §6.7). */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTIONS: ReadonlySet<string> = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** One m-section: its m= line fields and the lines that follow it, verbatim. */
export interface MediaSection {
  /** `audio`, `video`, `application`, … */
  kind: string;
  /** Port of the m= line; 0 means rejected/stopped (RFC 8866 §5.14). */
  port: number;
  /** Port suffix as written (e.g. `/2`), usually empty. */
  portSuffix: string;
  proto: string;
  /** Format list (payload types for RTP). */
  formats: string[];
  /** The lines after the m= line (c=, b=, a=…), without line terminators. */
  lines: string[];
}

/** A parsed session description. */
export interface SessionDescription {
  /** Lines before the first m= line (v=, o=, s=, t=, session attributes). */
  session: string[];
  media: MediaSection[];
}

const M_LINE = /^m=([a-z]+) (\d+)(\/\d+)? (\S+)(?: (.*))?$/;

/** Parses an SDP; throws {@link SdpError} when it is not one. */
export function parseSdp(sdp: string): SessionDescription {
  if (typeof sdp !== 'string' || sdp.length === 0) throw new SdpError('empty description');
  if (sdp.length > 256 * 1024) throw new SdpError('description larger than 256 KiB');
  const lines = sdp.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== 'v=0') throw new SdpError('first line is not "v=0"');
  const session: string[] = [];
  const media: MediaSection[] = [];
  let current: MediaSection | undefined;
  for (const line of lines) {
    if (!/^[a-z]=/.test(line)) throw new SdpError(`malformed line "${line.slice(0, 40)}"`);
    if (line.startsWith('m=')) {
      const m = M_LINE.exec(line);
      if (!m) throw new SdpError(`malformed m= line "${line.slice(0, 60)}"`);
      current = {
        kind: m[1]!,
        port: Number(m[2]),
        portSuffix: m[3] ?? '',
        proto: m[4]!,
        formats: m[5] ? m[5].split(' ').filter((f) => f.length > 0) : [],
        lines: [],
      };
      media.push(current);
    } else if (current) {
      current.lines.push(line);
    } else {
      session.push(line);
    }
  }
  return { session, media };
}

/** Serialises back to SDP text with CRLF line ends. */
export function serializeSdp(desc: SessionDescription): string {
  const out: string[] = [...desc.session];
  for (const m of desc.media) {
    out.push(`m=${m.kind} ${m.port}${m.portSuffix} ${m.proto}${m.formats.length > 0 ? ' ' + m.formats.join(' ') : ''}`);
    out.push(...m.lines);
  }
  return out.join('\r\n') + '\r\n';
}

/** Value of the first `a=name:value` line of `section` (or `''` for a flag `a=name`), else undefined. */
export function getAttribute(section: MediaSection, name: string): string | undefined {
  const prefix = `a=${name}`;
  for (const line of section.lines) {
    if (line === prefix) return '';
    if (line.startsWith(prefix + ':')) return line.slice(prefix.length + 1);
  }
  return undefined;
}

/** The `a=mid` of a section, or undefined. */
export function getMid(section: MediaSection): string | undefined {
  return getAttribute(section, 'mid');
}

/** The direction attribute of a section (default sendrecv, RFC 8866 §6.7). */
export function getDirection(section: MediaSection): SdpDirection {
  for (const line of section.lines) {
    const v = line.slice(2);
    if (line.startsWith('a=') && DIRECTIONS.has(v)) return v as SdpDirection;
  }
  return 'sendrecv';
}

/** Replaces (or adds) the direction attribute. */
export function setDirection(section: MediaSection, direction: SdpDirection): void {
  const i = section.lines.findIndex((l) => l.startsWith('a=') && DIRECTIONS.has(l.slice(2)));
  if (i >= 0) section.lines[i] = `a=${direction}`;
  else section.lines.push(`a=${direction}`);
}

/** An `a=rtpmap` (RFC 8866 §6.6) with its `a=fmtp` parameters. */
export interface RtpCodec {
  payloadType: number;
  /** Encoding name as written (e.g. `VP8`, `opus`, `H264`). */
  name: string;
  clockRate: number;
  channels: number;
  /** The fmtp parameter string, '' if none. */
  fmtp: string;
}

/** The codecs of an RTP m-section in m= line order. */
export function getCodecs(section: MediaSection): RtpCodec[] {
  const maps = new Map<number, RtpCodec>();
  const fmtps = new Map<number, string>();
  for (const line of section.lines) {
    let m = /^a=rtpmap:(\d+) ([^/\s]+)\/(\d+)(?:\/(\d+))?/.exec(line);
    if (m) {
      const payloadType = Number(m[1]);
      maps.set(payloadType, { payloadType, name: m[2]!, clockRate: Number(m[3]), channels: m[4] ? Number(m[4]) : 1, fmtp: '' });
      continue;
    }
    m = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (m) fmtps.set(Number(m[1]), m[2]!);
  }
  const out: RtpCodec[] = [];
  for (const f of section.formats) {
    const codec = maps.get(Number(f));
    if (codec) out.push({ ...codec, fmtp: fmtps.get(codec.payloadType) ?? '' });
  }
  return out;
}

/** Parses an fmtp string `a=1;b=2` into a map (keys lower-cased). */
export function parseFmtp(fmtp: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of fmtp.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return out;
}

/** Media-level `a=msid:<stream> <track>` (RFC 8830), falling back to the first `a=ssrc:… msid:`. */
export function getMsid(section: MediaSection): { streamId: string; trackId: string } | undefined {
  const direct = getAttribute(section, 'msid');
  const value = direct ?? section.lines.map((l) => /^a=ssrc:\d+ msid:(.*)$/.exec(l)?.[1]).find((v) => v !== undefined);
  if (value === undefined) return undefined;
  const [streamId, trackId] = value.trim().split(/\s+/);
  if (!streamId) return undefined;
  return { streamId, trackId: trackId ?? streamId };
}

/**
 * The primary SSRCs of a section: every `a=ssrc` except the secondary members of
 * `a=ssrc-group:FID` (RTX) and `FEC-FR` groups (RFC 5576 §4.2, RFC 4588 §8.1).
 */
export function getPrimarySsrcs(section: MediaSection): number[] {
  const secondary = new Set<number>();
  for (const line of section.lines) {
    const g = /^a=ssrc-group:(FID|FEC-FR) (.*)$/.exec(line);
    if (g) for (const s of g[2]!.trim().split(/\s+/).slice(1)) secondary.add(Number(s));
  }
  const out: number[] = [];
  for (const line of section.lines) {
    const m = /^a=ssrc:(\d+) /.exec(line);
    if (!m) continue;
    const ssrc = Number(m[1]);
    if (!secondary.has(ssrc) && !out.includes(ssrc)) out.push(ssrc);
  }
  return out;
}
