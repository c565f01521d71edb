/**
 * Who holds a sync lock (store/sync-store.ts acquireLock): this process, named so that another
 * sync can tell whether the holder still runs. Shared by every pipeline that takes a lock.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LockOwner } from '../store/sync-store.js';

/** This process as a lock holder: unique per call (hostname:pid:random), with its pid and host name. */
export function lockOwner(): LockOwner {
  return { owner: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`, pid: process.pid, hostname: hostname() };
}

/** Whether a process of this machine still runs (a lock held by a dead one is taken over). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}
