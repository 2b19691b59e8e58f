// The system programs the harness drives (iproute2's ip and tc, nftables' nft), run without a
// shell so no argument is ever interpreted. Namespaces, veth pairs, qdiscs and nftables tables
// need CAP_NET_ADMIN: callers check `assertNetAdmin()` first so a non-root run fails loudly with
// the reason instead of with a cryptic "Operation not permitted" halfway through a setup.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** ip, tc and nft live in /usr/sbin, which a non-root PATH often lacks. */
export function systemBinary(name) {
  for (const dir of ['/usr/sbin', '/sbin', '/usr/bin', '/bin']) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return name;
}

/** Runs a program, resolves with its stdout; rejects with the command line and stderr. */
export function runCommand(name, args, { input } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(systemBinary(name), args, { encoding: 'utf8', timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${name} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        return;
      }
      resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Synchronous form for exit handlers (no event loop left there); never throws. */
export function runCommandSync(name, args) {
  try {
    execFileSync(systemBinary(name), args, { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws, saying why, unless this process can create network namespaces (root, or at least
 * CAP_NET_ADMIN + CAP_SYS_ADMIN) and ip, tc and nft are installed. Tests call it in beforeAll:
 * a namespace test that cannot run must fail, never skip silently (CI runs as root).
 */
export function assertNetAdmin() {
  const missing = ['ip', 'tc', 'nft'].filter((bin) => systemBinary(bin) === bin);
  if (missing.length > 0) {
    throw new Error(`network emulation needs ${missing.join(', ')} (Debian packages iproute2, nftables): run npm test once as root to install them`);
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(
      'network-namespace tests need root (CAP_NET_ADMIN to create namespaces, veth pairs, tc qdiscs and nftables rules); ' +
        `this process runs as uid ${process.getuid()}. Run the suite as root (CI does).`,
    );
  }
}

/**
 * What this kernel offers for network emulation, probed in a throw-away namespace: veth, tbf,
 * htb, nftables with `numgen random`, nftables NAT, and netem (absent on the development machine:
 * CONFIG_NET_SCH_NETEM is not set, hence the userspace delay relay).
 */
export async function probeKernel() {
  assertNetAdmin();
  const ns = `parley-probe-${process.pid}`;
  const result = { veth: false, tbf: false, htb: false, nftNumgen: false, nftNat: false, netem: false };
  const ok = (p) =>
    p.then(
      () => true,
      () => false,
    );
  await runCommand('ip', ['netns', 'add', ns]);
  try {
    const ip = (...args) => runCommand('ip', ['-n', ns, ...args]);
    result.veth = await ok(ip('link', 'add', 'pv0', 'type', 'veth', 'peer', 'name', 'pv1'));
    const tc = (...args) => runCommand('ip', ['netns', 'exec', ns, systemBinary('tc'), ...args]);
    if (result.veth) {
      result.tbf = await ok(tc('qdisc', 'add', 'dev', 'pv0', 'root', 'tbf', 'rate', '1mbit', 'burst', '16kb', 'latency', '50ms'));
      result.htb = await ok(tc('qdisc', 'add', 'dev', 'pv1', 'root', 'handle', '1:', 'htb', 'default', '1'));
      await ok(tc('qdisc', 'del', 'dev', 'pv0', 'root'));
      result.netem = await ok(tc('qdisc', 'add', 'dev', 'pv0', 'root', 'netem', 'delay', '10ms'));
    }
    const nft = (script) => runCommand('ip', ['netns', 'exec', ns, systemBinary('nft'), '-f', '-'], { input: script });
    result.nftNumgen = await ok(nft('table inet probe {\n chain c {\n type filter hook output priority 0;\n numgen random mod 100 < 5 drop\n }\n}\n'));
    result.nftNat = await ok(
      nft('table inet probenat {\n chain c {\n type nat hook output priority -100;\n ip daddr 192.0.2.1 udp dport 9 dnat ip to 127.0.0.1:9\n }\n}\n'),
    );
  } finally {
    await runCommand('ip', ['netns', 'del', ns]).catch(() => undefined);
  }
  return result;
}
