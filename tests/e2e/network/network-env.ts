import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../harness/index.js';
import type { NetNamespace } from '../../harness/netns/index.mjs';

/** This machine's own IPv4 addresses (not loopback): where the SFU's host candidates are. */
export function hostAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

/**
 * Chromium running inside `ns` (every process it forks too), with the standard test flags. Pages
 * of `insecureOrigin` (the server seen from the namespace, plain http on a non-loopback address)
 * count as secure contexts, as a page served over HTTPS would in production.
 */
export function launchBrowserIn(ns: NetNamespace, insecureOrigin: string, extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: ns.wrapExecutable('/usr/bin/chromium'),
    args: [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=${insecureOrigin}`, ...extraArgs],
  });
}

/** A UDP port free right now (e.g. for the SFU's ICE UDP mux). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
