/**
 * Schedule-Tag (RFC 6638 §3.2.10): kept per scheduling object resource (by path) in the store's
 * shared key-value table, so every node sees it. It changes on every client write of the
 * resource and when the server processes a REQUEST or CANCEL into an attendee's copy; it does
 * not change when the server applies a REPLY to the organizer's copy.
 */
import { randomUUID } from 'node:crypto';
import type { KvReader, KvWriter } from '../../store/store.js';
import { ObjectRefused } from '../objects/object-refused.js';

const NAMESPACE = 'schedule-tag';

/** The resource's Schedule-Tag (quoted, like an entity tag), or null when it is no scheduling object. */
export function scheduleTagOf(reader: KvReader, path: string): Promise<string | null> {
  return reader.getValue(NAMESPACE, path, Date.now());
}

export async function newScheduleTag(tx: KvWriter, path: string): Promise<string> {
  const tag = `"st-${randomUUID()}"`;
  await tx.setValue(NAMESPACE, path, tag, null);
  return tag;
}

export function dropScheduleTag(tx: KvWriter, path: string): Promise<void> {
  return tx.deleteValue(NAMESPACE, path);
}

/** RFC 6638 §8.3: If-Schedule-Tag-Match holds only when the resource exists and has that tag (else 412). */
export async function requireScheduleTag(
  reader: KvReader,
  path: string,
  exists: boolean,
  expected: string,
): Promise<void> {
  const current = exists ? await scheduleTagOf(reader, path) : null;
  if (current === null || current !== expected.trim()) {
    throw new ObjectRefused(
      { code: 'precondition-failed', message: 'the Schedule-Tag does not match' },
      'If-Schedule-Tag-Match failed',
    );
  }
}
