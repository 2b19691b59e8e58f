import { ErrorCode, ParleyError } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { collectBoundPorts, MediaCapacity, parseSoftFdLimit, procFdProbe, type FdProbe } from './MediaCapacity.js';

function refusal(fn: () => unknown): ParleyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ParleyError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('MediaCapacity', () => {
  it('reserves one connection per port of the range, refuses the next with "not enough bandwidth", releases idempotently', () => {
    const capacity = new MediaCapacity({ portRange: { min: 40000, max: 40002 }, fdReserve: 0 }, { softLimit: () => undefined, openCount: () => undefined });
    const taken = [capacity.reserve(), capacity.reserve(), capacity.reserve()];
    const error = refusal(() => capacity.reserve());
    expect(error.code).toBe(ErrorCode.OTHER);
    expect(error.message).toMatch(/^not enough bandwidth/);
    taken[0]!.release();
    taken[0]!.release();
    expect(capacity.reserved).toBe(2);
    capacity.reserve();
    expect(() => capacity.reserve()).toThrow(ParleyError);
  });

  it('keeps fdReserve descriptors free, counting open descriptors and reservations whose socket is not open yet', () => {
    let open = 90;
    const probe: FdProbe = { softLimit: () => 100, openCount: () => open };
    const capacity = new MediaCapacity({ portRange: undefined, fdReserve: 8 }, probe);
    const a = capacity.reserve(); // 90 + 1 ≤ 92
    const b = capacity.reserve(); // 90 + 2 ≤ 92
    expect(() => capacity.reserve()).toThrow(/file-descriptor limit/);
    a.markOpen();
    b.markOpen();
    open = 92; // their sockets now show in the live count
    expect(() => capacity.reserve()).toThrow(ParleyError);
    b.release();
    open = 91;
    capacity.reserve();
    expect(capacity.reserved).toBe(2);
  });

  it('reads the soft limit of /proc/self/limits', () => {
    const text =
      'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n';
    expect(parseSoftFdLimit(text)).toBe(1024);
    expect(parseSoftFdLimit('Max open files            unlimited            unlimited            files')).toBe(Infinity);
    expect(parseSoftFdLimit('nothing')).toBeUndefined();
    if (process.platform === 'linux') {
      expect(procFdProbe.softLimit()).toBeGreaterThan(0);
      expect(procFdProbe.openCount()).toBeGreaterThan(2);
    }
  });

  it('counts the ports of the range that are really bound: a socket still closing, or held by another process', () => {
    let bound = 0;
    const probe: FdProbe = { softLimit: () => undefined, openCount: () => undefined, portsBound: () => bound };
    const capacity = new MediaCapacity({ portRange: { min: 40000, max: 40002 }, fdReserve: 0 }, probe);
    const a = capacity.reserve();
    a.markOpen();
    bound = 1;
    a.release();
    // Released, but its socket is still bound; another process holds a second port.
    bound = 2;
    capacity.reserve(); // pending: the third port
    expect(() => capacity.reserve()).toThrow(/^not enough bandwidth: no free media port/);
    bound = 0;
    capacity.reserve();
    expect(capacity.reserved).toBe(2);
  });

  it('reads the bound ports of /proc/net/udp tables', async () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
      '  12: 00000000:9C40 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 0',
      '  13: 0100007F:9C42 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 0',
      '  14: 00000000000000000000000000000000:9C40 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 1 2 0 0',
      '  15: 00000000:1F90 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 0',
    ].join('\n');
    expect([...collectBoundPorts(table, 40000, 40002, new Set())].sort()).toEqual([40000, 40002]);
    if (process.platform === 'linux') {
      const socket = createSocket('udp4');
      const port = await new Promise<number>((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)));
      try {
        expect(procFdProbe.portsBound?.(port, port)).toBe(1);
      } finally {
        socket.close();
      }
    }
  });
});
