import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { until } from '../../helpers/poll';

/**
 * The cluster test files take turns, across jest workers and across runs on the same machine:
 * each starts several server processes, and files running side by side would starve each
 * other's nodes into timeouts. (Outages no longer cross files: a test stops only the disposable
 * PostgreSQL or Redis it started itself, see ./outages.ts.) A directory is the lock (mkdir is
 * atomic); it records its owner's pid so a lock left by a killed run is taken over.
 */
const LOCK_DIR = path.join(os.tmpdir(), 'crisis-cell-cluster-tests.lock');
const WAIT_MS = 240_000;

function ownerAlive(): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive but not ours. ENOENT on the pid file: being created right now, so alive.
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EPERM' || code === 'ENOENT';
  }
}

/** Takes the lock if it is free or its owner is gone; false while another live run holds it. */
function tryAcquire(): boolean {
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (ownerAlive()) return false;
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

async function acquire(): Promise<void> {
  // No event tells us another process released a directory: poll.
  await until(tryAcquire, 'the cluster test lock', { timeoutMs: WAIT_MS, intervalMs: 200 }).catch(() => {
    throw new Error(`another cluster test run held ${LOCK_DIR} for over ${WAIT_MS / 1000} s`);
  });
}

function release(): void {
  try {
    if (Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8')) === process.pid) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  } catch {
    // Not ours, or already gone.
  }
}

/**
 * Call at the top of a cluster describe: its tests run while no other cluster file does.
 * `cleanup` runs before the lock is released (e.g. restoring a service, dropping a schema).
 */
export function exclusiveCluster(cleanup: () => Promise<void> = async () => undefined): void {
  beforeAll(acquire, WAIT_MS + 10_000);
  afterAll(async () => {
    try {
      await cleanup();
    } finally {
      release();
    }
  }, 60_000);
}
