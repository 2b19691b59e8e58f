// Claims one /30 of 198.51.100.0/24 (the documentation range TEST-NET-2) for a namespace, unique
// across every process on the machine: several helpers and test workers create namespaces at the
// same time, and two veth pairs with the same addresses or names would break each other.
// A slot is a lock file holding the owner's pid, created atomically (link() fails when it exists);
// a slot whose owner died (a SIGKILLed test worker) is reclaimed after removing what it left.
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_DIR = '/run/parley-netns';
/** 64 blocks of four addresses: .4i+1 is the host end, .4i+2 the namespace end. */
export const SLOT_COUNT = 64;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** True when the lock file exists and names a live process. */
function ownerAlive(path) {
  let owner;
  try {
    owner = Number(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
  return Number.isInteger(owner) && owner > 0 && alive(owner);
}

export class SlotLock {
  /** @param {number} index @param {string} path */
  constructor(index, path) {
    this.index = index;
    this.path = path;
    this.released = false;
  }

  /**
   * Claims the first free slot. `reclaim(index)` is called (synchronously) before a dead owner's
   * slot is reused, to delete the namespace and links it may have left behind.
   */
  static acquire(reclaim) {
    mkdirSync(LOCK_DIR, { recursive: true });
    const mine = join(LOCK_DIR, `claim-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const fd = openSync(mine, 'w');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    try {
      for (let index = 0; index < SLOT_COUNT; index++) {
        const path = join(LOCK_DIR, `slot-${index}`);
        try {
          linkSync(mine, path);
          return new SlotLock(index, path);
        } catch (error) {
          if (error.code !== 'EEXIST') throw error;
        }
        if (ownerAlive(path)) continue;
        // A dead owner: one process reclaims (holding slot-N.reclaim), the others move on.
        const guard = `${path}.reclaim`;
        if (ownerAlive(guard)) continue;
        try {
          unlinkSync(guard); // left by a reclaimer that died, or absent
        } catch {
          /* absent */
        }
        try {
          linkSync(mine, guard);
        } catch {
          continue;
        }
        try {
          if (ownerAlive(path)) continue; // re-claimed meanwhile by a live process
          reclaim(index);
          try {
            unlinkSync(path);
          } catch {
            /* absent */
          }
          linkSync(mine, path);
          return new SlotLock(index, path);
        } catch (error) {
          if (error.code !== 'EEXIST') throw error;
        } finally {
          unlinkSync(guard);
        }
      }
    } finally {
      unlinkSync(mine);
    }
    throw new Error(`all ${SLOT_COUNT} network-namespace slots of 198.51.100.0/24 are taken (see ${LOCK_DIR})`);
  }

  /** Idempotent. */
  release() {
    if (this.released) return;
    this.released = true;
    try {
      unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}
