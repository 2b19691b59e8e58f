// Per-process figures read from /proc (Linux): CPU time of a process tree and resident memory.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let clockTicks = 100;
try {
  clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  /* 100 is the value on every mainstream Linux */
}

/** Fields of /proc/<pid>/stat after the command name; null when the process is gone. */
function statFields(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** CPU time (user + system, all threads) of one process in milliseconds; NaN when gone. */
export function cpuMs(pid) {
  const f = statFields(pid);
  if (!f) return NaN;
  // After the name: f[0] is field 3 (state); utime is field 14, stime field 15.
  return ((Number(f[11]) + Number(f[12])) * 1000) / clockTicks;
}

/** Pids of every live descendant of `pid` (children, grandchildren…). */
export function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(entry);
    if (!f) continue;
    const ppid = Number(f[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(entry));
  }
  const out = [];
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length) {
    const p = stack.pop();
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** CPU time in ms of a process and all its live descendants. */
export function treeCpuMs(pid) {
  let total = cpuMs(pid);
  for (const child of descendants(pid)) {
    const c = cpuMs(child);
    if (Number.isFinite(c)) total += c;
  }
  return total;
}

/** Resident set size of one process in bytes (VmRSS); NaN when gone. */
export function rssBytes(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return NaN;
  }
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : NaN;
}

/** RSS in bytes of a process and all its live descendants. */
export function treeRssBytes(pid) {
  let total = rssBytes(pid);
  for (const child of descendants(pid)) {
    const r = rssBytes(child);
    if (Number.isFinite(r)) total += r;
  }
  return total;
}

/** Number of open file descriptors of a process; NaN when not readable. */
export function openFds(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

/**
 * UDP datagrams the kernel dropped in this network namespace so far (IPv4 + IPv6: receive errors,
 * full receive buffers included, and failed sends), from /proc/net/snmp and /proc/net/snmp6. A rise over a
 * window means some socket on the machine lost packets; loopback drops nothing else.
 */
export function udpDrops() {
  // InErrors already includes RcvbufErrors.
  let total = 0;
  const snmp = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp: '));
  if (snmp.length === 2) {
    const names = snmp[0].split(/\s+/).slice(1);
    const values = snmp[1].split(/\s+/).slice(1).map(Number);
    for (const k of ['InErrors', 'SndbufErrors']) total += values[names.indexOf(k)] ?? 0;
  }
  try {
    for (const line of readFileSync('/proc/net/snmp6', 'utf8').split('\n')) {
      const [k, v] = line.split(/\s+/);
      if (k === 'Udp6InErrors' || k === 'Udp6SndbufErrors') total += Number(v) || 0;
    }
  } catch {
    // no IPv6
  }
  return total;
}

/**
 * Receive drops of the UDP sockets held by `pids` (the `drops` column of /proc/net/udp and udp6,
 * matched by socket inode): unlike {@link udpDrops}, not disturbed by other programs on a shared
 * machine. Sockets that closed meanwhile are not counted.
 */
export function udpDropsOf(pids) {
  const inodes = new Set();
  for (const pid of pids) {
    let fds = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  }
  let total = 0;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let lines = [];
    try {
      lines = readFileSync(file, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
      if (f.length >= 13 && inodes.has(f[9])) total += Number(f[12]) || 0;
    }
  }
  return total;
}
