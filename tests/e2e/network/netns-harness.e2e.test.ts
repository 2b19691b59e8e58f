// The network-emulation harness itself (tests/harness/netns): what the TURN, loss and layered-video
// tests build on. Root only: fails (never skips) with the reason when it cannot create namespaces.
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NetNamespace, UdpDelayRelay, assertNetAdmin, probeKernel } from '../../harness/netns/index.mjs';
import { pollUntil } from '../harness/index.js';

/** A node script run inside the namespace: sends `count` datagrams to host:port, prints how many answers came back. */
const udpProbe = (host: string, port: number, count: number): string => `
const s = require('dgram').createSocket('udp4');
let answers = 0;
s.on('message', () => answers++);
s.bind(0, () => {
  // Paced (50 every 5 ms) so no socket buffer overflows: only the rules under test drop.
  let i = 0;
  const batch = () => { for (let k = 0; k < 50 && i < ${count}; k++, i++) s.send('x'.repeat(200), ${port}, '${host}'); if (i < ${count}) setTimeout(batch, 5); else setTimeout(done, 1000); };
  batch();
});
const done = () => { console.log(answers); process.exit(0); };`;

const tcpProbe = (host: string, port: number): string => `
const c = require('net').connect(${port}, '${host}', () => { console.log('connected'); c.destroy(); process.exit(0); });
c.on('error', (e) => { console.log('error ' + e.code); });
setTimeout(() => { console.log('timeout'); process.exit(0); }, 3000);`;

async function udpEcho(): Promise<{ socket: Socket; port: number; received: () => number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '0.0.0.0', resolve));
  let received = 0;
  socket.on('message', (msg, rinfo) => {
    received++;
    socket.send(msg, rinfo.port, rinfo.address);
  });
  return { socket, port: socket.address().port, received: () => received };
}

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('network-emulation harness', () => {
  beforeAll(() => {
    assertNetAdmin();
  });

  it('finds veth, tbf, htb, nftables numgen and NAT in this kernel (and reports netem as it is)', async () => {
    const caps = await probeKernel();
    expect(caps).toMatchObject({ veth: true, tbf: true, htb: true, nftNumgen: true, nftNat: true });
    expect(typeof caps.netem).toBe('boolean');
  });

  it('gives the namespace a 198.51.100.0/24 address that reaches the host over the veth', async () => {
    const ns = await NetNamespace.create();
    closers.push(() => ns.close());
    expect(ns.address).toMatch(/^198\.51\.100\.\d+$/);
    expect(ns.hostAddress).toMatch(/^198\.51\.100\.\d+$/);
    const echo = await udpEcho();
    closers.push(() => void echo.socket.close());
    const answers = Number(await ns.exec(process.execPath, ['-e', udpProbe(ns.hostAddress, echo.port, 20)]));
    expect(answers).toBe(20);
    // Two namespaces at once get different slots.
    const other = await NetNamespace.create();
    closers.push(() => other.close());
    expect(other.address).not.toBe(ns.address);
    expect(other.name).not.toBe(ns.name);
  });

  it('drops about the configured share of packets with nftables numgen', async () => {
    const ns = await NetNamespace.create();
    closers.push(() => ns.close());
    const echo = await udpEcho();
    closers.push(() => void echo.socket.close());
    await ns.setLoss(20, { direction: 'up' });
    expect(await ns.ruleset()).toContain('numgen random mod 100 < 20');
    const sent = 2000;
    await ns.exec(process.execPath, ['-e', udpProbe(ns.hostAddress, echo.port, sent)]);
    // Counted where they arrive (the answers would cross the veth again, unaffected by 'up' loss).
    // Binomial(2000, 0.8): mean 1600, σ ≈ 18; ±6σ never fails by chance.
    expect(echo.received()).toBeGreaterThan(1490);
    expect(echo.received()).toBeLessThan(1710);
    await ns.setLoss(0, { direction: 'up' });
    expect(Number(await ns.exec(process.execPath, ['-e', udpProbe(ns.hostAddress, echo.port, 50)]))).toBe(50);
  });

  it('blocks UDP while TCP still passes', async () => {
    const ns = await NetNamespace.create();
    closers.push(() => ns.close());
    const echo = await udpEcho();
    closers.push(() => void echo.socket.close());
    const tcp: Server = createServer((c) => c.end());
    await new Promise<void>((resolve) => tcp.listen(0, '0.0.0.0', resolve));
    closers.push(() => new Promise<void>((resolve) => tcp.close(() => resolve())));
    const tcpPort = (tcp.address() as { port: number }).port;
    await ns.blockUdp();
    expect(Number(await ns.exec(process.execPath, ['-e', udpProbe(ns.hostAddress, echo.port, 20)]))).toBe(0);
    expect((await ns.exec(process.execPath, ['-e', tcpProbe(ns.hostAddress, tcpPort)])).trim()).toBe('connected');
    await ns.blockUdp(false);
    expect(Number(await ns.exec(process.execPath, ['-e', udpProbe(ns.hostAddress, echo.port, 20)]))).toBe(20);
  });

  it('a tbf rate limit drops what exceeds its queue', async () => {
    const ns = await NetNamespace.create();
    closers.push(() => ns.close());
    const echo = await udpEcho();
    closers.push(() => void echo.socket.close());
    await ns.limitRate('up', 400);
    expect(await ns.exec('tc', ['qdisc', 'show', 'dev', ns.interface])).toContain('rate 400Kbit');
    // 2000 × 228-byte datagrams at once = 3.6 Mbit, far beyond a 50 ms queue at 400 kbit/s.
    const answers = Number(await ns.exec(process.execPath, ['-e', udpProbe(ns.hostAddress, echo.port, 2000)]));
    expect(answers).toBeLessThan(1000);
    const stats = await ns.exec('tc', ['-s', 'qdisc', 'show', 'dev', ns.interface]);
    expect(Number(/dropped (\d+)/.exec(stats)?.[1])).toBeGreaterThan(0);
    await ns.limitRate('up', undefined);
    expect(await ns.exec('tc', ['qdisc', 'show', 'dev', ns.interface])).not.toContain('tbf');
  });

  it('puts the delay relay transparently on the path to a host address', async () => {
    const ns = await NetNamespace.create();
    closers.push(() => ns.close());
    const echo = await udpEcho();
    closers.push(() => void echo.socket.close());
    const relay = await UdpDelayRelay.start({
      listen: { address: ns.hostAddress },
      target: { address: '127.0.0.1', port: echo.port },
      delayMs: 30,
      jitterMs: 5,
    });
    closers.push(() => relay.close());
    // The client sends to the host end's address (a host address, as a server's candidate would be)…
    await ns.redirectUdp({ address: ns.hostAddress, port: echo.port }, relay.address);
    const answers = Number(await ns.exec(process.execPath, ['-e', udpProbe(ns.hostAddress, echo.port, 30)]));
    // …and every answer came back through the relay, presented as coming from that address.
    expect(answers).toBe(30);
    expect(relay.stats).toEqual({ toTarget: 30, toClient: 30 });
  });

  it('removes the namespace and its veth on close, and when the owning process is terminated', async () => {
    const ns = await NetNamespace.create();
    const { name, hostInterface } = ns;
    await ns.close();
    await ns.close(); // idempotent
    const { execFileSync } = await import('node:child_process');
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`${name} `);
    expect(() => execFileSync('ip', ['link', 'show', hostInterface], { stdio: 'ignore' })).toThrow();

    const harness = new URL('../../harness/netns/index.mjs', import.meta.url).href;
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { NetNamespace } = await import('${harness}'); const ns = await NetNamespace.create(); console.log(ns.name); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const childName = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).toContain(childName);
    child.kill('SIGTERM');
    await pollUntil(
      () =>
        !execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
          .split('\n')
          .some((l) => l.split(' ')[0] === childName),
      {
        what: `namespace ${childName} removed after SIGTERM`,
      },
    );
  });
});
