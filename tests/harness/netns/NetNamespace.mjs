// A network namespace joined to the host by a veth pair: the emulated "client network" of the
// network tests. The host end gets 198.51.100.(4i+1)/30, the namespace end 198.51.100.(4i+2)/30
// with a default route through the host end, so a process inside reaches the host's own
// addresses (a server listening on 0.0.0.0, coturn, the SFU's host candidates) without any
// forwarding or NAT on the host. Impairments all live inside the namespace or on the veth pair,
// so deleting the namespace removes every trace (the veth pair dies with its namespace end).
//
// Kernel facts this relies on (probeKernel() checks them): veth, tbf/htb qdiscs, nftables with
// `numgen random` and NAT. No netem on the development machine: delay/jitter go through
// UdpDelayRelay (userspace) with redirectUdp().
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNetAdmin, runCommand, runCommandSync, systemBinary } from './commands.mjs';
import { SlotLock } from './SlotLock.mjs';

const names = (index) => ({ ns: `parley-net${index}`, hostIf: `pnet${index}h`, nsIf: `pnet${index}n` });

/** Namespaces of this process not closed yet: removed synchronously if the process exits first. */
const live = new Set();
function closeAllSync() {
  for (const ns of live) ns.closeSync();
}
process.once('exit', closeAllSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    closeAllSync();
    process.kill(process.pid, signal); // our listener is gone: the default action terminates
  });
}

/** Deletes what a slot's namespace may have left (a crashed owner); synchronous, never throws. */
function removeSlotArtefacts(index) {
  const n = names(index);
  runCommandSync('ip', ['netns', 'del', n.ns]);
  runCommandSync('ip', ['link', 'del', n.hostIf]);
}

export class NetNamespace {
  /**
   * Creates a namespace with its veth pair, addresses, default route and loopback up.
   * Throws (saying why) when not root. Always `close()` it (the exit handler is a safety net).
   */
  static async create() {
    assertNetAdmin();
    const slot = SlotLock.acquire(removeSlotArtefacts);
    const ns = new NetNamespace(slot);
    live.add(ns);
    try {
      await ns.#setUp();
    } catch (error) {
      await ns.close();
      throw error;
    }
    return ns;
  }

  #slot;
  #closed = false;
  #children = new Set();
  #tempDirs = [];
  /** Impairments as last set; the nftables table is rebuilt from this on every change. */
  #rules = { blockUdp: false, udpExceptions: [], lossDown: 0, lossUp: 0, lossProtocol: 'all', redirects: [] };

  constructor(slot) {
    this.#slot = slot;
    const n = names(slot.index);
    /** Namespace name for `ip netns exec`. */
    this.name = n.ns;
    /** Host end of the veth pair (in the host namespace). */
    this.hostInterface = n.hostIf;
    /** Namespace end of the veth pair. */
    this.interface = n.nsIf;
    /** Address of the host end: what a process inside uses to reach servers on the host. */
    this.hostAddress = `198.51.100.${slot.index * 4 + 1}`;
    /** Address of the namespace end: how the host sees a process inside. */
    this.address = `198.51.100.${slot.index * 4 + 2}`;
  }

  async #setUp() {
    removeSlotArtefacts(this.#slot.index); // a leftover from a process killed without cleanup
    const ip = (...args) => runCommand('ip', args);
    await ip('netns', 'add', this.name);
    await ip('link', 'add', this.hostInterface, 'type', 'veth', 'peer', 'name', this.interface);
    await ip('link', 'set', this.interface, 'netns', this.name);
    await ip('addr', 'add', `${this.hostAddress}/30`, 'dev', this.hostInterface);
    await ip('link', 'set', this.hostInterface, 'up');
    await ip('-n', this.name, 'addr', 'add', `${this.address}/30`, 'dev', this.interface);
    await ip('-n', this.name, 'link', 'set', this.interface, 'up');
    await ip('-n', this.name, 'link', 'set', 'lo', 'up');
    await ip('-n', this.name, 'route', 'add', 'default', 'via', this.hostAddress);
  }

  #assertOpen() {
    if (this.#closed) throw new Error(`network namespace ${this.name} is closed`);
  }

  /** Runs a program inside the namespace to completion; resolves with its stdout. */
  exec(command, args = [], options = {}) {
    this.#assertOpen();
    return runCommand('ip', ['netns', 'exec', this.name, command, ...args], options);
  }

  /**
   * Starts a long-running program inside the namespace in its own process group (killed with the
   * namespace). Returns the ChildProcess; stdio defaults to pipes.
   */
  spawn(command, args = [], options = {}) {
    this.#assertOpen();
    const child = spawn(systemBinary('ip'), ['netns', 'exec', this.name, command, ...args], { stdio: 'pipe', ...options, detached: true });
    if (child.pid !== undefined) {
      const pid = child.pid;
      this.#children.add(pid);
      child.once('exit', () => this.#children.delete(pid));
    }
    return child;
  }

  /**
   * Path of an executable script that runs `executable` inside the namespace with the arguments
   * it is given: for launchers that take a program path, e.g. playwright's
   * `chromium.launch({ executablePath: ns.wrapExecutable('/usr/bin/chromium') })` (Chromium and
   * every process it forks then live in the namespace). Removed by close().
   */
  wrapExecutable(executable) {
    this.#assertOpen();
    const dir = mkdtempSync(join(tmpdir(), 'parley-netns-'));
    this.#tempDirs.push(dir);
    const path = join(dir, 'run-in-namespace');
    const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
    writeFileSync(path, `#!/bin/sh\nexec ${quote(systemBinary('ip'))} netns exec ${quote(this.name)} ${quote(executable)} "$@"\n`);
    chmodSync(path, 0o755);
    return path;
  }

  /**
   * Limits the rate of one direction with a token bucket (tbf): `down` is host → namespace
   * (queued on the host end), `up` namespace → host. `kbit` 0 or undefined removes the limit.
   * The queue holds `latencyMs` of traffic (default 50 ms) before tail-dropping, like a modest
   * access-link buffer.
   */
  async limitRate(direction, kbit, { burstBytes, latencyMs = 50 } = {}) {
    this.#assertOpen();
    const tcIn = direction === 'down' ? [] : ['ip', 'netns', 'exec', this.name];
    const dev = direction === 'down' ? this.hostInterface : this.interface;
    const tc = (...args) => (tcIn.length ? runCommand(tcIn[0], [...tcIn.slice(1), systemBinary('tc'), ...args]) : runCommand('tc', args));
    await tc('qdisc', 'del', 'dev', dev, 'root').catch(() => undefined); // none set yet
    if (!kbit) return;
    // The bucket must hold at least one full-size packet plus what the timer resolution lets through.
    const burst = burstBytes ?? Math.max(3200, Math.ceil((kbit * 1000) / 8 / 100));
    await tc('qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', String(burst), 'latency', `${latencyMs}ms`);
  }

  /**
   * Drops `percent` % of the packets crossing the veth in `direction` ('down', 'up' or 'both'),
   * chosen at random by nftables (`numgen random mod 100 < N`). `protocol` 'udp' spares TCP.
   * 0 removes the loss.
   */
  async setLoss(percent, { direction = 'down', protocol = 'all' } = {}) {
    if (!(Number.isInteger(percent) && percent >= 0 && percent <= 100)) throw new Error('loss percent must be an integer in 0–100');
    if (direction === 'down' || direction === 'both') this.#rules.lossDown = percent;
    if (direction === 'up' || direction === 'both') this.#rules.lossUp = percent;
    this.#rules.lossProtocol = protocol;
    await this.#applyRules();
  }

  /**
   * Drops every UDP packet in and out of the namespace over the veth (a UDP-blocking firewall),
   * except to and from the `except` endpoints (e.g. a firewall that lets UDP reach only the
   * company's TURN server).
   */
  async blockUdp(blocked = true, { except = [] } = {}) {
    this.#rules.blockUdp = blocked;
    this.#rules.udpExceptions = blocked ? except.map((e) => ({ address: e.address, port: e.port })) : [];
    await this.#applyRules();
  }

  /**
   * Sends UDP for `target` (address:port) through `via` instead (e.g. a UdpDelayRelay on
   * `hostAddress`), transparently: destination NAT in the namespace, and connection tracking
   * rewrites the relay's answers back to come from `target`. Answers sent by `target` straight to
   * the namespace (bypassing the relay, e.g. the server's own ICE checks) are dropped, so the
   * relayed path is the only one that works.
   */
  async redirectUdp(target, via) {
    this.#rules.redirects.push({ target, via });
    await this.#applyRules();
  }

  async #applyRules() {
    this.#assertOpen();
    const r = this.#rules;
    const dev = `"${this.interface}"`;
    const proto = r.lossProtocol === 'udp' ? 'meta l4proto udp ' : '';
    const input = [];
    const output = [];
    const nat = [];
    for (const { target, via } of r.redirects) {
      nat.push(`ip daddr ${target.address} udp dport ${target.port} dnat ip to ${via.address}:${via.port}`);
      input.push(`iifname ${dev} ip saddr ${target.address} udp sport ${target.port} ct status & dnat != dnat drop`);
    }
    if (r.blockUdp) {
      for (const e of r.udpExceptions) {
        input.push(`iifname ${dev} ip saddr ${e.address} udp sport ${e.port} accept`);
        output.push(`oifname ${dev} ip daddr ${e.address} udp dport ${e.port} accept`);
      }
      input.push(`iifname ${dev} meta l4proto udp drop`);
      output.push(`oifname ${dev} meta l4proto udp drop`);
    }
    if (r.lossDown > 0) input.push(`iifname ${dev} ${proto}numgen random mod 100 < ${r.lossDown} counter drop comment "loss-down"`);
    if (r.lossUp > 0) output.push(`oifname ${dev} ${proto}numgen random mod 100 < ${r.lossUp} counter drop comment "loss-up"`);
    const chain = (name, type, hook, priority, rules) =>
      `  chain ${name} {\n    type ${type} hook ${hook} priority ${priority};\n${rules.map((x) => `    ${x}\n`).join('')}  }\n`;
    // Declaring then deleting the table makes the script idempotent; nft applies it atomically.
    const script =
      'table inet parley_netem\ndelete table inet parley_netem\n' +
      'table inet parley_netem {\n' +
      chain('nat_out', 'nat', 'output', -100, nat) +
      // Empty, but needed: the relay's answers are translated back (source := target) by the NAT
      // hook on input, which only runs when a nat chain is registered there.
      chain('nat_in', 'nat', 'input', 100, []) +
      chain('in', 'filter', 'input', 0, input) +
      chain('out', 'filter', 'output', 0, output) +
      '}\n';
    await this.exec(systemBinary('nft'), ['-f', '-'], { input: script });
  }

  /** The namespace's nftables ruleset, for failure messages. */
  ruleset() {
    return this.exec(systemBinary('nft'), ['list', 'ruleset']);
  }

  /**
   * Packets the random-loss rule of `direction` dropped since it was last set (nftables counter),
   * 0 when there is no loss rule: proof that the loss really happened on the wire.
   */
  async lossDropped(direction = 'down') {
    const text = await this.exec(systemBinary('nft'), ['list', 'table', 'inet', 'parley_netem']);
    const line = text.split('\n').find((l) => l.includes(`comment "loss-${direction}"`));
    const match = line && /counter packets (\d+)/.exec(line);
    return match ? Number(match[1]) : 0;
  }

  /** Packet and byte counters of the namespace end (`ip -s link`), for assertions and logs. */
  async counters() {
    const out = await runCommand('ip', ['-n', this.name, '-j', '-s', 'link', 'show', this.interface]);
    const [link] = JSON.parse(out);
    return { rx: link.stats64.rx, tx: link.stats64.tx };
  }

  /** Kills what runs inside, deletes the namespace (and with it the veth pair), frees the slot. Idempotent. */
  async close() {
    this.closeSync();
  }

  /** close() for exit handlers. */
  closeSync() {
    if (this.#closed) return;
    this.#closed = true;
    live.delete(this);
    for (const pid of this.#children) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    this.#children.clear();
    // Processes started inside by others (Chromium through wrapExecutable) keep the namespace
    // alive but not its name: `ip netns del` unmounts it and the veth goes when they exit.
    removeSlotArtefacts(this.#slot.index);
    for (const dir of this.#tempDirs) rmSync(dir, { recursive: true, force: true });
    this.#slot.release();
  }
}
