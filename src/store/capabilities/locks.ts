import type { Lock } from '../types.js';

/** WebDAV locks (RFC 4918 §6-7), read. */
export interface LocksReader {
  /** Unexpired locks that cover `path`: on it, or depth-infinity locks on an ancestor. */
  locksCovering(path: string, now: number): Promise<Lock[]>;
  /** Unexpired locks rooted at `path` or anywhere below it. */
  locksWithin(path: string, now: number): Promise<Lock[]>;
  getLock(token: string, now: number): Promise<Lock | null>;
}

/** WebDAV locks, written (inside a transaction). */
export interface LocksWriter {
  createLock(lock: Lock): Promise<void>;
  refreshLock(token: string, timeoutSeconds: number | null, expiresAt: number): Promise<void>;
  deleteLock(token: string): Promise<void>;
}
