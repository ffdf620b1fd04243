import { createHash } from 'node:crypto';

/** A resource name from a UID: the UID itself when it is URL-safe, else a hash of it, `.ics` appended. */
export function objectName(uid: string): string {
  const safe = /^[A-Za-z0-9@._-]{1,120}$/.test(uid) ? uid : createHash('sha256').update(uid).digest('hex').slice(0, 32);
  return `${safe}.ics`;
}
