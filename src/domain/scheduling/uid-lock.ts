/**
 * The per-UID scheduling lock (RFC 6638 §3.2 on several nodes; store: SchedulingLockWriter).
 *
 * Every copy of one event on this server shares its UID (RFC 5545 §3.8.4.7; RFC 6638 §3.1
 * scheduling object resources), and a write of one copy reads and rewrites the others in its
 * transaction: an organizer's PUT delivers REQUESTs into the attendees' copies, an attendee's
 * PUT delivers a REPLY into the organizer's copy (and the other attendees'), mail from outside
 * does either. So every such write locks the event's UID *before* it reads the copy it replaces
 * (and before its If-Match / If-Schedule-Tag-Match checks), and holds it to commit. Without it,
 * on PostgreSQL node A could read the organizer's copy, node B apply a REPLY's PARTSTAT to it,
 * and A write its edit over that (a lost update); the same for an attendee's copy updated by a
 * REQUEST while the attendee replies. Deliveries need no lock of their own: they run inside the
 * transaction of the write that holds the lock, and concern the same UID.
 */
import type { StoreTx } from '../../store/store.js';
import type { Resource } from '../../store/types.js';

const decoder = new TextDecoder();

/** The value of a content line (RFC 5545 §3.1): after the first colon outside a quoted parameter value. */
function lineValue(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return line.slice(i + 1);
  }
  return '';
}

/** RFC 5545 §3.3.11 TEXT escapes undone, as the parser does, so the key matches the indexed UID. */
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** The UIDs found in each body, read once however often its write locks them (writeObjectIn, commitObject). */
const uidsOfBody = new WeakMap<Uint8Array, readonly string[]>();

/**
 * The UIDs of the components of an iCalendar body (the UID lines one level inside VCALENDAR),
 * read without parsing the whole object: this runs before the write is validated. Empty for a
 * body that is no iCalendar object.
 */
export function calendarUids(body: Uint8Array): readonly string[] {
  let uids = uidsOfBody.get(body);
  if (uids === undefined) {
    uids = scanUids(body);
    uidsOfBody.set(body, uids);
  }
  return uids;
}

function scanUids(body: Uint8Array): string[] {
  const text = decoder.decode(body.subarray(0, 64));
  if (!/^\uFEFF?\s*BEGIN:VCALENDAR/i.test(text)) return [];
  const uids = new Set<string>();
  let depth = 0;
  for (const line of decoder
    .decode(body)
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)) {
    const name = /^[A-Za-z0-9-]+/.exec(line)?.[0].toUpperCase();
    if (name === 'BEGIN') depth++;
    else if (name === 'END') depth--;
    else if (name === 'UID' && depth === 2) uids.add(unescapeText(lineValue(line)));
  }
  return [...uids];
}

/**
 * Lock the UIDs a write of `existing` (null = a create) with `body` (null = a delete) touches:
 * the stored object's and the new body's. Resolves true when a lock was newly taken on a store
 * where another transaction may have committed meanwhile: what the caller read before is to be
 * read again.
 */
export function lockSchedulingObject(
  tx: StoreTx,
  existing: Resource | null,
  body: Uint8Array | null,
): Promise<boolean> {
  const uids = body ? [...calendarUids(body)] : [];
  if (existing?.uid && /^text\/calendar/i.test(existing.contentType ?? '')) uids.push(existing.uid);
  return uids.length > 0 ? tx.lockSchedulingObjects(uids) : Promise.resolve(false);
}
