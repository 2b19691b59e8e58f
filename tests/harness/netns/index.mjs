// Network emulation for tests and benchmarks: namespaces with a veth pair to the host, rate
// limits, random loss, UDP blocking and a userspace delay/jitter relay. See README.md.
export { NetNamespace } from './NetNamespace.mjs';
export { UdpDelayRelay } from './UdpDelayRelay.mjs';
export { assertNetAdmin, probeKernel } from './commands.mjs';
