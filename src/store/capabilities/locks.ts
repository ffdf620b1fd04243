import type { Lock } from '../types.js';

/** WebDAV locks (RFC 4918 §6-7), read. */
export interface LocksReader {
  /**
   * Unexpired locks that cover `path`: on it, or depth-infinity locks on an ancestor. With
   * `parentToo`, also any lock on its parent (a depth-0 lock there protects its membership,
   * RFC 4918 §7.4): what a write that adds or removes `path` must hold, in one read.
   */
  locksCovering(path: string, now: number, parentToo?: boolean): Promise<Lock[]>;
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
